#!/usr/bin/env python3
"""gen-referrals.py DB [N]: adds N (default 1,000,000) generated referrals to a
qfq directory (a copy of the national one, bench/gen-national.py), for
bench/stats.sh. Each referral goes between two structures of the same
département, for a theme the destination offers, over two years, with the
statuses and delays of a plausible follow-up (45 % réalisée within 0-30
days, 10 % sans solution, ...). No note, nothing about a person: like the
real thing. Deterministic (seeded)."""
import random
import sqlite3
import sys

db = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rnd = random.Random(13)
con = sqlite3.connect(db)
rows = con.execute("SELECT s.id, s.code_insee, c.departement FROM structures s "
                   "JOIN communes c ON c.code_insee = s.code_insee").fetchall()
themes = {}
for sid, tid in con.execute("SELECT structure_id, theme_id FROM structure_themes"):
    themes.setdefault(sid, []).append(tid)
by_dep = {}
for sid, code, dep in rows:
    by_dep.setdefault(dep, []).append((sid, code))
deps = [d for d, v in by_dep.items() if len(v) > 1]
weights = [len(by_dep[d]) for d in deps]
statuses = ["proposee", "prise_en_charge", "realisee", "sans_solution", "refusee"]
status_w = [15, 20, 45, 10, 10]
channels = ["physique", "telephone", "courriel", "visio"]
channel_w = [50, 30, 15, 5]
first = 738886  # 2024-01-01 as a proleptic Gregorian ordinal
from datetime import date


def gen():
    for _ in range(n):
        dep = rnd.choices(deps, weights)[0]
        places = by_dep[dep]
        # a few hubs send most: the first structures of the département
        a = places[min(int(rnd.expovariate(1 / 8)), len(places) - 1)]
        b = rnd.choice(places)
        while b == a:
            b = rnd.choice(places)
        t = rnd.choice(themes.get(b[0]) or [1])
        d = first + rnd.randrange(730)
        s = rnd.choices(statuses, status_w)[0]
        sd = d if s == "proposee" else d + min(int(rnd.expovariate(1 / 7)), 120)
        yield (date.fromordinal(d).isoformat(), a[0], b[0], t, rnd.choices(channels, channel_w)[0], s,
               date.fromordinal(sd).isoformat(), a[1], b[1], int(rnd.random() < 0.05))


con.execute("BEGIN")
con.executemany("INSERT INTO referrals(date, from_structure_id, to_structure_id, theme_id, channel, status, "
                "status_date, from_commune, to_commune, urgent) VALUES (?,?,?,?,?,?,?,?,?,?)", gen())
con.commit()
print(con.execute("SELECT count(*) FROM referrals").fetchone()[0], "referrals")
