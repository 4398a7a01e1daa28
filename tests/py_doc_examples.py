#!/usr/bin/python3
"""py_doc_examples.py - every "$ llmcost ..." session of README.md and
doc/*.md prints what the page shows (tests/doc_examples.py: how sessions are
found and compared, the '...' elisions, the allowlist of varying text, the
<!-- no-check --> and <!-- file: NAME --> markers).

First the matcher itself: it must reject a changed, a missing and an extra
line and accept the elisions, so that the run below cannot pass by matching
anything.  Then the run: no failures, and at least MIN_COMMANDS commands
actually run (an extractor that finds nothing fails).
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_examples as dx  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LLMCOST = os.path.abspath(os.environ.get("LLMCOST", os.path.join(ROOT, "build", "llmcost")))
MIN_COMMANDS = 35
failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAIL " + what)


def matcher():
    out = ["a", "b 1", "c", "time 0.1 s (2 threads, avx2 kernel): fast", "d"]
    check(dx.matches(out, out), "identical lines match")
    check(not dx.matches(["a", "b 2", "c", "time 9 s", "d"], out), "a changed line is rejected")
    check(not dx.matches(["a", "b 1", "c"], out), "missing lines are rejected")
    check(not dx.matches(out + ["e"], out), "an extra expected line is rejected")
    check(dx.matches(["a", "...", "d"], out), "'...' stands for a run of lines")
    check(dx.matches(["...", "a", "b 1", "c", "...", "d", "..."], out), "'...' also for no line")
    check(dx.matches(["a", "b ...", "c", "...", "d"], out), "'...' in a line stands for text")
    check(not dx.matches(["a", "...", "b 2", "...", "d"], out), "'...' does not hide a wrong line")
    check(dx.matches(["a", "b 1", "c", "time 7.5 s (16 threads, avx512 kernel): slow", "d"], out),
          "the timing line is on the allowlist")
    check(dx.matches(["made by llmcost 0.1.0 (commit 0e11b70), 2026-11-28T13:45:36Z"],
                     ["made by llmcost 0.1.0 (commit d56e601), 2026-12-02T17:15:14Z"]),
          "commit ids and times are on the allowlist")
    check(not dx.matches(["made by llmcost 0.1.0 (commit 0e11b70)"], ["made by llmcost 0.2.0 (commit d56e601)"]),
          "the version is not on the allowlist")
    page = ["<!-- no-check: x -->", "```", "$ llmcost a", "out", "```", "", "```sh",
            "$ llmcost b \\", "  --c", "x", "$ llmcost d", "```", "<!-- file: s.ini -->", "```ini", "[a]", "```"]
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "doc_examples_page_%d.md" % os.getpid())
    with open(tmp, "w") as f:
        f.write("\n".join(page) + "\n")
    try:
        s = dx.sessions(tmp)
    finally:
        os.unlink(tmp)
    check(len(s) == 3, "three fences found: %d" % len(s))
    check(s[0][2] == ("no-check", None), "the no-check marker with a reason")
    check([(c, e) for c, _, e in s[1][1]] == [("llmcost b \\\n  --c", ["x"]), ("llmcost d", [])],
          "continuation lines and outputs: %r" % (s[1][1],))
    check(s[2][2] == ("file", "s.ini") and s[2][3] == "[a]\n", "the file marker")


def main():
    matcher()
    if not os.path.exists(LLMCOST):
        check(False, "no binary at %s (set LLMCOST)" % LLMCOST)
        return 1
    t0 = time.time()
    n, fails = dx.run(ROOT, LLMCOST, sys.executable)
    for f in fails:
        check(False, f)
    check(n >= MIN_COMMANDS, "only %d commands run, expected at least %d" % (n, MIN_COMMANDS))
    print("%d doc commands run in %.1f s, %d failed" % (n, time.time() - t0, len(fails)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
