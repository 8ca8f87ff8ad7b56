#!/usr/bin/env python3
"""test-summary.py: counts the checks of a meson test run.

Reads meson's testlog.json and counts TAP results ("ok N" / "not ok N") in
each test's output; a test that failed without any TAP failure (a crash, a
timeout, a bad plan) counts as one failure. Prints "N passed, N failed" as the
last line, the line CI reads.
"""
import json
import re
import sys

passed = failed = 0
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    t = json.loads(line)
    out = t.get('stdout') or ''
    ok = len(re.findall(r'^ok \d+', out, re.M))
    bad = len(re.findall(r'^not ok \d+', out, re.M))
    if t.get('result') not in ('OK', 'EXPECTEDFAIL', 'SKIP') and bad == 0:
        bad = 1
        print('failed: %s (%s)' % (t.get('name'), t.get('result')))
    passed += ok
    failed += bad
print('%d passed, %d failed' % (passed, failed))
