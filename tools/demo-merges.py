#!/usr/bin/env python3
"""demo-merges.py: turns data/demo-merges.csv (keep,other by structure name)
into "KEEP_ID OTHER_ID" lines for `qfq merge`, for the demo database.

Usage: demo-merges.py DB CSV. A name not found (or found twice) is reported
on stderr and skipped: the demo must still build when the data changes.
"""
import csv
import sqlite3
import sys

db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)


def find(name):
    ids = [r[0] for r in db.execute('SELECT id FROM structures WHERE nom = ?', (name,))]
    if len(ids) != 1:
        print('demo-merges: %d structures named "%s"' % (len(ids), name), file=sys.stderr)
        return None
    return ids[0]


for row in csv.DictReader(open(sys.argv[2], encoding='utf-8')):
    keep, other = find(row['keep']), find(row['other'])
    if keep and other and keep != other:
        print(keep, other)
