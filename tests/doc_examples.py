"""doc_examples.py - run the example sessions of the docs and compare their
output with what the docs show, so that a copied example cannot be stale
(tests/py_doc_examples.py runs it in `make check`).

Sources: README.md and doc/*.md.  A session is a Markdown fence (``` with
no language, sh, console or shell) whose lines start with "$ ": each "$ CMD"
(with continuation lines ending in "\\") is run by bash in a scratch
directory, stdout and stderr together, and the lines after it up to the next
"$ " or the end of the fence are the output it must print:
  * a line that is only "..." (any indentation) stands for any run of lines,
    also none;
  * "..." inside a line stands for any text on that line;
  * trailing blanks do not count; the rest is compared exactly, after the
    allowlist VARYING below has replaced what legitimately changes from run
    to run (timings, dates, commit ids, thread counts, the kernel ISA,
    scratch paths) in both texts.
"llmcost" is the binary under test ($LLMCOST, default build/llmcost) and
"python3" the test's interpreter.  The scratch directory holds symlinks to
the repository's top-level entries (sweeps/, plots/, tests/, ...), so a
command reads the shipped files as it does from the repository root, and
files a session writes (default.h5) stay for the later sessions of the same
page; every page starts from a fresh directory.

Markers (an HTML comment on the line before the fence, invisible when the
page is rendered):
  <!-- no-check -->        the session is not run: long-running, needs MPI,
                           a kill, or files the page does not ship.
  <!-- file: NAME -->      before a fence that is not a session: its text is
                           written to NAME in the scratch directory, for the
                           sessions after it (a spec the page shows).
A session with a command that is neither llmcost nor one of SETUP must be
marked no-check: an example this test would skip silently fails instead.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

SETUP = ("printf ", "cat ", "echo ", "rm ", "cp ", "ls ")
FENCE_LANGS = ("", "sh", "console", "shell")
VARYING = [
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), "<TIME>"),
    (re.compile(r"\bcommit [0-9a-f]{7,40}\b"), "commit <ID>"),
    (re.compile(r"\bin \d+(\.\d+)? s\b"), "in <T> s"),
    (re.compile(r"\b(scalar|avx2|avx512) kernel, \d+ threads?\b"), "<ISA> kernel, <N> threads"),
    (re.compile(r"^time \d.*$"), "time <...>"),
    (re.compile(r"/tmp/[^\s:'\"]*"), "<TMP>"),
]


def sessions(path):
    """[(line number, [(command, line number, [expected lines])], marker)]"""
    lines = open(path, encoding="utf-8").read().split("\n")
    out = []
    i = 0
    marker = None
    while i < len(lines):
        m = re.match(r"^```\s*(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        lang = m.group(1)
        prev = lines[i - 1].strip() if i > 0 else ""
        mk = re.match(r"^<!--\s*(no-check\b.*?|file:\s*(\S+))\s*-->$", prev)
        marker = None
        if mk:
            marker = ("file", mk.group(2)) if mk.group(2) else ("no-check", None)
        start = i
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        body = lines[i + 1:j]
        i = j + 1
        if marker and marker[0] == "file":
            out.append((start + 1, None, marker, "\n".join(body) + "\n"))
            continue
        if lang not in FENCE_LANGS or not any(b.startswith("$ ") for b in body):
            continue
        cmds = []
        k = 0
        while k < len(body):
            if body[k].startswith("$ "):
                parts = [body[k][2:]]
                ln = start + 2 + k
                while parts[-1].rstrip().endswith("\\") and k + 1 < len(body):
                    k += 1
                    parts.append(body[k])
                cmds.append(["\n".join(parts), ln, []])
            elif cmds:
                cmds[-1][2].append(body[k])
            k += 1
        out.append((start + 1, cmds, marker, None))
    return out


def normalise(line):
    line = line.rstrip()
    for rx, rep in VARYING:
        line = rx.sub(rep, line)
    return line


def _line_matches(exp, act):
    if "..." not in exp:
        return exp == act
    rx = ".*".join(re.escape(p) for p in exp.split("..."))
    return re.fullmatch(rx, act) is not None


def matches(expected, actual):
    """expected lines (with '...' lines) against actual lines."""
    exp = [normalise(e) for e in expected]
    act = [normalise(a) for a in actual]
    while exp and exp[-1] == "":
        exp.pop()
    while act and act[-1] == "":
        act.pop()
    memo = {}

    def m(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(exp):
            r = j == len(act)
        elif exp[i].strip() == "...":
            r = any(m(i + 1, k) for k in range(j, len(act) + 1))
        else:
            r = j < len(act) and _line_matches(exp[i], act[j]) and m(i + 1, j + 1)
        memo[key] = r
        return r

    return m(0, 0)


def first_difference(expected, actual):
    """A short explanation: the first expected line not found in order."""
    act = [normalise(a) for a in actual]
    j = 0
    for e in (normalise(x) for x in expected):
        if e.strip() == "...":
            continue
        k = next((k for k in range(j, len(act)) if _line_matches(e, act[k])), None)
        if k is None:
            return "expected line not in the output: %r" % e
        j = k + 1
    return "extra or missing lines around the elisions"


def scratch(root):
    root = os.path.abspath(root)
    d = tempfile.mkdtemp(prefix="llmcost-docex-")
    for name in os.listdir(root):
        if name.startswith(".") or name == "build":
            continue
        os.symlink(os.path.join(root, name), os.path.join(d, name))
    return d


def run(root, llmcost, python):
    """Returns (number of commands run, [failure messages])."""
    bindir = tempfile.mkdtemp(prefix="llmcost-docbin-")
    os.symlink(os.path.abspath(llmcost), os.path.join(bindir, "llmcost"))
    os.symlink(python, os.path.join(bindir, "python3"))
    env = dict(os.environ)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env["LC_ALL"] = "C.UTF-8"
    failures = []
    count = 0
    pages = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "doc", "*.md")))
    try:
        for page in pages:
            rel = os.path.relpath(page, root)
            d = scratch(root)
            try:
                for ln, cmds, marker, text in sessions(page):
                    if text is not None:
                        name = os.path.join(d, marker[1])
                        if os.path.islink(name):
                            os.unlink(name)
                        with open(name, "w", encoding="utf-8") as f:
                            f.write(text)
                        continue
                    if marker and marker[0] == "no-check":
                        continue
                    for cmd, cln, expected in cmds:
                        if not (cmd.startswith("llmcost ") or cmd.startswith(SETUP)):
                            failures.append("%s:%d: '%s' is not an llmcost session: mark the fence "
                                            "<!-- no-check --> (see tests/doc_examples.py)"
                                            % (rel, cln, cmd.split("\n")[0]))
                            break
                    else:
                        for cmd, cln, expected in cmds:
                            count += 1
                            p = subprocess.run(["bash", "-c", cmd], cwd=d, env=env, stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, timeout=60)
                            actual = p.stdout.decode("utf-8", "replace").split("\n")
                            if not matches(expected, actual):
                                failures.append("%s:%d: $ %s\n    %s\n    the output:\n%s"
                                                % (rel, cln, cmd, first_difference(expected, actual),
                                                   "\n".join("      " + a for a in actual[:60])))
            finally:
                shutil.rmtree(d, ignore_errors=True)
    finally:
        shutil.rmtree(bindir, ignore_errors=True)
    return count, failures


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    n, fails = run(root, os.environ.get("LLMCOST", os.path.join(root, "build", "llmcost")), sys.executable)
    for f in fails:
        print(f)
    print("%d commands run, %d failed" % (n, len(fails)))
    sys.exit(1 if fails else 0)
