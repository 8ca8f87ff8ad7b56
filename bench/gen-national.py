#!/usr/bin/env python3
"""gen-national.py: a national-scale qfq directory for benchmarks.

Writes, straight into a database created by `qfq init`, 100,000 structures
spread over the real communes of data/communes.csv (weighted by population)
with realistic names, typologies, themes (the nine national services and
their sub-themes), opening hours (OSM syntax, some missing or unparseable;
10 % with rules a week cannot hold: months, dates, nth weekdays, school
holidays, open ends — issue 16),
walk-in flags, declared territories and permanences; 300,000 persons with
memberships, roles and competences. Deterministic (fixed seed).
Afterwards run `qfq reindex` to build the full-text, map and hours indexes.

    python3 bench/gen-national.py DB [--structures N] [--persons N] [--seed S]
"""
import argparse
import csv
import os
import random
import re
import sqlite3
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def norm(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("œ", "oe").replace("æ", "ae")
    toks = re.sub(r"[^a-z0-9]+", " ", s).split()
    return " ".join("saint" if t == "st" else "sainte" if t == "ste" else t for t in toks)


STOP = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}


def name_key(s):
    toks = [t for t in norm(s).split() if t not in STOP]
    return " ".join(toks) if toks else norm(s)


# (typology code, name pattern, weight)
KINDS = [
    ("MUNI", "Mairie de {c}", 20),
    ("BIB", "Médiathèque de {c}", 12),
    ("EPN", "Espace public numérique de {c}", 8),
    ("MSAP", "France Services {c}", 7),
    ("CCAS", "CCAS de {c}", 6),
    ("CS", "Centre social {w} {c}", 6),
    ("MJC", "MJC {c}", 4),
    ("ASSO", "Association {w} {c}", 10),
    ("TIERS_LIEUX", "Tiers-lieu {w} {c}", 3),
    ("LA_POSTE", "Bureau de poste {c}", 5),
    ("CAF", "Accueil CAF {c}", 2),
    ("FT", "France Travail {c}", 2),
    ("ML", "Mission locale {c}", 2),
    ("CIDFF", "CIDFF point d'accueil {c}", 1),
    ("UDAF", "UDAF antenne {c}", 1),
    ("FABLAB", "FabLab {w} {c}", 2),
    ("EVS", "Espace de vie sociale {w} {c}", 3),
    ("PIMMS", "PIMMS Médiation {c}", 1),
    ("RESSOURCERIE", "Ressourcerie {w} {c}", 1),
    ("CCONS", "Conseiller numérique {c}", 4),
]
WORDS = ["Les Tilleuls", "Le Lien", "Horizon", "La Passerelle", "Le Fil", "Arc-en-ciel",
         "Les Colibris", "Numérique pour tous", "Le Relais", "L'Escale", "Solidarité",
         "Le Trait d'union", "La Ruche", "Les Ateliers", "Coup de pouce", "Cyber-base"]
HOURS = [
    ("Mo-Fr 09:00-12:00,14:00-17:00", 20),
    ("Mo-Fr 08:30-12:30,13:30-17:30", 10),
    ("Tu-Sa 10:00-12:30,14:00-18:00", 8),
    ("Mo,Tu,Th,Fr 09:00-12:00; We 14:00-18:00", 6),
    ("Mo-Fr 09:00-17:00; PH off", 6),
    ("Tu,Th 14:00-17:00", 5),
    ("We 09:00-12:00,14:00-18:00; Sa 09:00-12:00", 5),
    ("Mo 14:00-18:00; Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00", 5),
    ("Mo-Fr 09:00-12:00", 4),
    ("Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00", 4),
    ('Mo-Fr "sur rendez-vous"', 2),
    ("le mardi matin", 3),  # unparseable, as in real data
    (None, 22),
]
# Rules that depend on the date (issue 16): 10 % of the places get one of
# these instead, from a random stream of their own (--dated), so that the
# rest of the directory is the same as without them.
DATED = [
    ("Mo-Fr 09:00-12:00,14:00-17:00; Aug off", 4),
    ("Mo-Fr 08:30-12:30,13:30-17:00; Jul 14-Aug 15 off", 3),
    ("Th[2] 09:00-12:00", 2),
    ("Tu[1],Tu[3] 14:00-17:00", 2),
    ("Mo-Fr 09:00-12:00; Sa[1] 10:00-12:00; PH off", 2),
    ("Mo-Fr 09:00-17:00; SH off", 2),
    ("We 14:00-18:00; Sa 10:00+", 1),
    ("Mo-Fr 09:00-12:00,14:00-17:00; Dec 24-Jan 01 off", 2),
]
FIRST = ["Marie", "Jean", "Pierre", "Sophie", "Nathalie", "Isabelle", "Philippe", "Catherine",
         "Michel", "Nicolas", "Julie", "Céline", "Thomas", "Camille", "Léa", "Hugo", "Chloé",
         "Louis", "Emma", "Lucas", "Manon", "Sarah", "Karim", "Fatima", "Mehdi", "Inès", "Yann",
         "Gaëlle", "Rémi", "Aurélie", "François", "Hélène", "Jérôme", "Élodie", "Sébastien"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
        "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
        "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
        "Chevalier", "Benali", "Nguyen", "Da Silva", "Boyer", "Fabre"]
ROLES = ["conseiller numérique", "conseillère numérique", "médiateur numérique", "agent d'accueil",
         "animateur", "directrice", "directeur", "coordinatrice", "secrétaire de mairie",
         "bibliothécaire", "travailleur social", "bénévole", "chargée de mission", "aidant numérique"]


def load_communes():
    rows = []
    with open(os.path.join(DATA, "communes.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["latitude"]:
                continue
            rows.append((r["code_insee"], r["nom"], r["departement"], r["epci"],
                         float(r["latitude"]), float(r["longitude"]),
                         max(1, int(r["population"] or 0)), r["codes_postaux"].split("|")[0]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--structures", type=int, default=100_000)
    ap.add_argument("--persons", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dated", type=float, default=0.10,
                    help="share of places with date-dependent hours (default 0.10)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    rdated = random.Random(a.seed + 16)  # its own stream: the rest stays the same
    db = sqlite3.connect(a.db)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA synchronous = OFF")
    if db.execute("SELECT count(*) FROM structures").fetchone()[0]:
        sys.exit("gen-national: the database already has structures")

    communes = load_communes()
    weights = [c[6] ** 0.8 for c in communes]  # towns get more, villages still some
    themes = db.execute("SELECT id, parent_id FROM themes").fetchall()
    tops = [t for t, p in themes if p is None]
    children = {}
    for t, p in themes:
        if p is not None:
            children.setdefault(p, []).append(t)
    # the nine services of the national standard are the popular ones
    nine = [r[0] for r in db.execute("SELECT id FROM themes WHERE standard IS NOT NULL AND parent_id IS NULL")]
    hours_vals = [h for h, w in HOURS]
    hours_w = [w for h, w in HOURS]
    kinds_w = [k[2] for k in KINDS]

    picks = rnd.choices(communes, weights=weights, k=a.structures)
    srows, strows, terr, perms = [], [], [], []
    for i, c in enumerate(picks, start=1):
        code, cnom, dep, epci, lat, lon, pop, cp = c
        typo, pat, _ = rnd.choices(KINDS, weights=kinds_w)[0]
        nom = pat.format(c=cnom, w=rnd.choice(WORDS))
        exact = rnd.random() < 0.8
        slat = lat + rnd.uniform(-0.02, 0.02) if exact else None
        slon = lon + rnd.uniform(-0.02, 0.02) if exact else None
        h = rnd.choices(hours_vals, weights=hours_w)[0]
        if rdated.random() < a.dated:
            h = rdated.choices([d for d, _ in DATED], weights=[w for _, w in DATED])[0]
        sans = rnd.choice([1, 0, None])
        tel = "+334%08d" % rnd.randrange(10 ** 8)
        mail = "contact%d@%s.fr" % (i, norm(cnom).replace(" ", "-")[:30])
        srows.append((i, nom, name_key(nom), typo, "%d rue de la République" % rnd.randint(1, 80),
                      cp, code, slat, slon, int(exact), tel, mail, h, sans,
                      "Accompagnement au numérique et aux démarches à %s." % cnom,
                      rnd.choice(["Seniors", "Jeunes", "Familles", "Tous publics", "Demandeurs d'emploi"]),
                      "bench", str(i)))
        ts = set(rnd.sample(nine, rnd.randint(1, 5)))
        for t in list(ts):
            if t in children and rnd.random() < 0.5:
                ts.update(rnd.sample(children[t], min(len(children[t]), rnd.randint(1, 3))))
        if rnd.random() < 0.3:
            ts.add(rnd.choice(tops))
        strows.extend((i, t) for t in ts)
        r = rnd.random()
        if r < 0.10 and epci:
            terr.append((i, "epci", epci))
        elif r < 0.13:
            terr.append((i, "departement", dep))
        elif r < 0.18:
            for other in rnd.sample(communes, 2):
                terr.append((i, "commune", other[0]))
        if rnd.random() < 0.05:
            o = rnd.choices(communes, weights=weights)[0]
            # importers store the place's coordinates, else its commune's centre
            perms.append((i, o[0], o[4] + rnd.uniform(-0.01, 0.01), o[5] + rnd.uniform(-0.01, 0.01),
                          "Th[2] 09:00-12:00" if rdated.random() < 0.3 else "Mo 09:00-12:00",
                          rnd.choice([0, 1])))

    db.executemany("INSERT INTO structures(id, nom, nom_norm, typologie, adresse, code_postal, code_insee, "
                   "latitude, longitude, coord_exact, telephone, courriels, horaires, sans_rdv, "
                   "presentation_resume, publics, source, source_id) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", srows)
    db.executemany("INSERT INTO structure_themes VALUES (?,?)", strows)
    db.executemany("INSERT OR IGNORE INTO structure_territories(structure_id, kind, code) VALUES (?,?,?)", terr)
    db.executemany("INSERT INTO permanences(structure_id, code_insee, latitude, longitude, horaires, "
                   "sur_rdv, source) VALUES (?,?,?,?,?,?, 'bench')", perms)

    prows, mrows, ptrows = [], [], []
    mid = 0
    for pid in range(1, a.persons + 1):
        prenom, nom = rnd.choice(FIRST), rnd.choice(LAST)
        key = " ".join(sorted(norm(prenom + " " + nom).split()))
        prows.append((pid, nom, prenom, key, "%s.%s%d@example.org" % (norm(prenom), norm(nom).replace(" ", ""), pid),
                      "+336%08d" % rnd.randrange(10 ** 8)))
        for sid in rnd.sample(range(1, a.structures + 1), 1 if rnd.random() < 0.8 else 2):
            mid += 1
            mrows.append((mid, pid, sid, rnd.choice(ROLES)))
        if rnd.random() < 0.3:
            for t in rnd.sample([t for t, _ in themes], rnd.randint(1, 3)):
                ptrows.append((pid, t, int(rnd.random() < 0.1)))
    db.executemany("INSERT INTO persons(id, nom, prenom, name_key, courriels, telephones) VALUES (?,?,?,?,?,?)", prows)
    db.executemany("INSERT INTO memberships(id, person_id, structure_id, role) VALUES (?,?,?,?)", mrows)
    db.executemany("INSERT INTO person_themes VALUES (?,?,?)", ptrows)
    db.commit()
    print("gen-national: %d structures, %d structure themes, %d territories, %d permanences, "
          "%d persons, %d memberships, %d competences" %
          (len(srows), len(strows), len(terr), len(perms), len(prows), len(mrows), len(ptrows)))


if __name__ == "__main__":
    main()
