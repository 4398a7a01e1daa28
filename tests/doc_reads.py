"""doc_reads.py - find every read snippet in the docs and specs so that a
test can run it (tests/py_netcdf.py runs them on the files it makes): the
documented ways to read a file cannot rot.

Sources: README.md, doc/*.md, sweeps/*.ini and sweeps/slurm/* comments,
src/h5/h5_sens.c.  The markers that make a snippet:
  * a Markdown ```python fence: the whole block, run as one program;
  * a shell command running Python, "$ python3 -c '...'" (also
    /usr/bin/python3, a pipeline "$ llmcost eval ... | python3 -c ...", or
    in a spec's comment ";   python3 -c ..."), with its continuation lines
    and its multi-line quoted program: run by bash with python3 meaning the
    test's interpreter and llmcost the tested binary;
  * any other line with "xr.open_dataset(" (prose, an .ini comment, a C
    comment): the longest expression from there that parses, evaluated.
Then coverage: every line of the sources that mentions a reader
(open_dataset(, h5py.File(, "python3 -c", import xarray / h5py, "xarray:")
must belong to a snippet found above, so a new read line that this file
would not run makes the test fail instead of being skipped.
"""
import glob
import os
import re

READER = re.compile(r"open_dataset\(|h5py\.File\(|python3 -c|import (xarray|h5py)|xarray:")
PY_CMD = re.compile(r"(^|[|;&]\s*)(/usr/bin/)?python3 -c ", re.M)


def sources(root):
    files = [os.path.join(root, "README.md")]
    files += sorted(glob.glob(os.path.join(root, "doc", "*.md")))
    files += sorted(glob.glob(os.path.join(root, "sweeps", "*.ini")))
    files += sorted(glob.glob(os.path.join(root, "sweeps", "slurm", "*.sbatch")))
    files += [os.path.join(root, "src", "h5", "h5_sens.c")]
    return [f for f in files if os.path.exists(f)]


def _comment_text(path, line):
    """The text of a line with its comment marker removed (.ini ';', sbatch '#')."""
    if path.endswith(".ini"):
        return re.sub(r"^\s*;\s?", "", line)
    if path.endswith(".sbatch"):
        return re.sub(r"^\s*#\s?", "", line)
    return line


def _shell_command(lines, i, path):
    """The command starting at line i (after '$ ' in Markdown, the comment
    marker in specs): continuation lines ending in '\\' and quotes left open.
    Returns (command text, index of its last line)."""
    parts = []
    j = i
    while j < len(lines):
        t = _comment_text(path, lines[j])
        if j == i:
            t = re.sub(r"^\s*\$\s*", "", t).lstrip()
        parts.append(t)
        text = "\n".join(parts)
        quotes_open = (text.count("'") % 2 == 1) or (text.count('"') % 2 == 1 and "'" not in text)
        if not quotes_open and not t.rstrip().endswith("\\"):
            break
        j += 1
    return "\n".join(parts), j


def find(root):
    """[(kind, path, first line number, code)], kind in python / shell /
    expr (for shell, code is (command, the output lines the doc shows)),
    and [(path, line number, text)] of reader lines no snippet covers."""
    found, uncovered = [], []
    for path in sources(root):
        lines = open(path, encoding="utf-8").read().split("\n")
        covered = set()
        fence = None  # (language, start index) inside a Markdown fence
        for i, line in enumerate(lines):
            if path.endswith(".md") and line.startswith("```"):
                if fence is None:
                    fence = (line[3:].strip(), i)
                else:
                    lang, start = fence
                    if lang in ("python", "py"):
                        found.append(("python", path, start + 2, "\n".join(lines[start + 1:i])))
                        covered.update(range(start, i + 1))
                    fence = None
        i = 0
        while i < len(lines):
            t = _comment_text(path, lines[i])
            # a command: "$ ..." in Markdown, a comment line starting with
            # python3 or llmcost in a spec or script
            if path.endswith(".md"):
                starts = re.match(r"^\s*\$\s", t) is not None
            else:
                starts = re.match(r"^\s*(/usr/bin/)?(python3|llmcost) ", t) is not None
            if i not in covered and starts:
                cmd, last = _shell_command(lines, i, path)
                if PY_CMD.search(cmd):
                    # in a comment, the llmcost commands just above make the
                    # file it reads: run them first, as written
                    k = i
                    while not path.endswith(".md") and k > 0 and \
                            re.match(r"^\s*llmcost sweep ", _comment_text(path, lines[k - 1])):
                        k -= 1
                    pre = [re.sub(r"\s{2,}\(.*\)\s*$", "", _comment_text(path, x)).strip()
                           for x in lines[k:i]]
                    out = []  # in Markdown, the output shown under it
                    for x in lines[last + 1:] if path.endswith(".md") else []:
                        if x.startswith("```") or x.startswith("$"):
                            break
                        out.append(x)
                    found.append(("shell", path, k + 1, ("\n".join(pre + [cmd]), out)))
                    covered.update(range(k, i))
                    covered.update(range(i, last + 1))
                    i = last + 1
                    continue
            i += 1
        for i, line in enumerate(lines):
            if i in covered:
                continue
            k = line.find("xr.open_dataset(")
            if k >= 0:
                text = line[k:]
                for end in range(len(text), len("xr.open_dataset(") + 1, -1):
                    try:
                        compile(text[:end], "<read line>", "eval")
                    except SyntaxError:
                        continue
                    found.append(("expr", path, i + 1, text[:end]))
                    covered.add(i)
                    break
            if i not in covered and READER.search(line):
                uncovered.append((path, i + 1, line.strip()))
    return found, uncovered
