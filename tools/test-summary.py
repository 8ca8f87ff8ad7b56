#!/usr/bin/env python3
"""test-summary.py: counts the checks of a test run, all parts together.

    test-summary.py build/meson-logs/testlog.json [more testlog.json or .tap files]

Reads meson's testlog.json files and counts TAP results ("ok N" / "not ok N")
in each test's output; a test that failed without any TAP failure (a crash, a
timeout, a bad plan) counts as one failure. A .tap file (the fuzz targets'
run, tools/fuzz-run.sh) is counted the same way. A file that is missing
counts as one failure (that part did not run). Prints "N passed, N failed"
as the last line, the line CI reads.
"""
import json
import re
import sys

passed = failed = 0


def tap_counts(out):
    ok = len(re.findall(r'^ok \d+', out, re.M))
    bad = len(re.findall(r'^not ok \d+', out, re.M))
    return ok, bad


for path in sys.argv[1:]:
    try:
        text = open(path, encoding='utf-8', errors='replace').read()
    except OSError:
        print('failed: %s is missing' % path)
        failed += 1
        continue
    if not path.endswith('.json'):
        ok, bad = tap_counts(text)
        if ok + bad == 0:
            print('failed: %s holds no result' % path)
            bad = 1
        passed += ok
        failed += bad
        continue
    for line in text.splitlines():
        t = json.loads(line)
        ok, bad = tap_counts(t.get('stdout') or '')
        if t.get('result') not in ('OK', 'EXPECTEDFAIL', 'SKIP') and bad == 0:
            bad = 1
            print('failed: %s (%s)' % (t.get('name'), t.get('result')))
        passed += ok
        failed += bad
print('%d passed, %d failed' % (passed, failed))
