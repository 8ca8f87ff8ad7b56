#!/usr/bin/env python3
"""bench/gen-roster.py: writes a synthetic roster of N rows (default
100,000) to standard output, shaped like the real ones: "Nom prénom"
family name first (some in capitals), a structure with, now and then, a
glued role or "excusée", an email and a French phone number.

Deterministic (fixed seed) so that runs compare. Family names are built
from syllables, so people rarely share one; about 2,000 structures are
"<kind> <commune of Ardèche>".

    python3 bench/gen-roster.py [N] > roster.csv
"""
import csv
import os
import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rnd = random.Random(20240621)
here = os.path.dirname(os.path.abspath(__file__))

communes = []
with open(os.path.join(here, '..', 'data', 'communes.csv'), encoding='utf-8') as f:
    for row in csv.DictReader(f):
        if row.get('departement') == '07' or row.get('code_insee', '').startswith('07'):
            communes.append(row['nom'])
if not communes:
    communes = ['Privas', 'Aubenas', 'Annonay', 'Tournon-sur-Rhône', 'Le Teil']

kinds = ['Mairie de', 'MJC', 'EPN', 'Centre social', 'Médiathèque de', 'CCAS de', 'France Services',
         'Association Numérique', 'Espace de vie sociale']
structures = []
seen = set()
while len(structures) < 2000:
    s = '%s %s' % (rnd.choice(kinds), rnd.choice(communes))
    if s not in seen:
        seen.add(s)
        structures.append(s)

syl = ['ba', 'ber', 'cha', 'dou', 'fa', 'gar', 'jo', 'la', 'lou', 'ma', 'mon', 'na', 'pé', 'ri',
       'ro', 'sa', 'tel', 'vi', 'zo', 'quet', 'ran', 'mi', 'don', 'vel', 'cour', 'nier']
given = ['Marie', 'Jean', 'Anne', 'Pierre', 'Claire', 'Luc', 'Sophie', 'Paul', 'Julie', 'Marc',
         'Élodie', 'Éric', 'Nathalie', 'Olivier', 'Camille', 'Léa', 'Hugo', 'Inès', 'Jean-Marc',
         'Anne-Sophie', 'Thomas', 'Sarah', 'Nicolas', 'Chloé', 'Mathieu', 'Laure']
roles = ['conseillère numérique', 'directeur', 'responsable', 'animatrice', 'chargé de mission']

w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['Nom prénom', 'Structure', 'Fonction', 'Courriel', 'Téléphone'])
used = set()
for i in range(N):
    while True:
        fam = ''.join(rnd.choice(syl) for _ in range(rnd.randint(3, 4))).capitalize()
        g = rnd.choice(given)
        if (fam, g) not in used:
            used.add((fam, g))
            break
    name = ('%s %s' % (fam.upper(), g)) if rnd.random() < 0.4 else ('%s %s' % (fam, g))
    s = rnd.choice(structures)
    r = rnd.random()
    if r < 0.05:
        s += ' excusée'
    elif r < 0.10:
        s += ' (%s)' % rnd.choice(roles)
    role = rnd.choice(roles) if rnd.random() < 0.5 else ''
    mail = '%s.%s%d@example.org' % (g.lower().replace('é', 'e'), fam.lower().replace('é', 'e'), i)
    tel = '0%d %02d %02d %02d %02d' % (rnd.choice([4, 6, 7]), rnd.randrange(100), rnd.randrange(100),
                                       rnd.randrange(100), rnd.randrange(100))
    w.writerow([name, s, role, mail, tel])
