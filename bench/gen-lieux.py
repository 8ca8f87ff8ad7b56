#!/usr/bin/env python3
"""gen-lieux.py: places of the national standard for the import benchmark.

A thin wrapper over tests/data/lieux/gen_lieux.py (the fixture generator of
the tests), spread over every département of France so that the merge
look-ups see real commune densities:

    bench/gen-lieux.py [COUNT] [FORM] > places.csv     (default 20000 1)
"""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
count = sys.argv[1] if len(sys.argv) > 1 else "20000"
form = sys.argv[2] if len(sys.argv) > 2 else "1"
sys.exit(subprocess.call([sys.executable, os.path.join(root, "tests/data/lieux/gen_lieux.py"),
                          "--form", form, "--count", count, "--departements", "all",
                          "--communes", os.path.join(root, "data/communes.csv")]))
