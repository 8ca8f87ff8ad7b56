#!/usr/bin/env python3
"""gen_lieux.py: realistic digital-mediation places in the national standard
("schéma des lieux de médiation numérique"), for tests and benchmarks.

There is no network at test time, so instead of a download this writes, from
the real communes of data/communes.csv, places shaped like the open data the
regional networks publish, awkward values included: quoted fields with commas
and quotes, accents, several services and emails, multi-line descriptions,
phones in every spelling, "www." sites, hours in the supported opening_hours
subset and some that are not, missing coordinates, missing code_insee,
uppercase and "ST" commune names, parents, unknown vocabulary values.

    gen_lieux.py --form 1|0 [--count N] [--departements 22,29,35,56|all]
                 [--seed S] [--communes data/communes.csv] > places.csv

Deterministic for a given seed. Every row imports without an error (some
give warnings, as real files do).
"""
import argparse
import csv
import random
import sys

V1_HEADER = ["id", "nom", "pivot", "structure_parente", "typologie", "commune", "code_postal",
             "code_insee", "adresse", "complement_adresse", "latitude", "longitude", "telephone",
             "courriels", "site_web", "horaires", "prise_rdv", "presentation_resume",
             "presentation_detail", "services", "publics_specifiquement_adresses",
             "prise_en_charge_specifique", "frais_a_charge", "modalites_acces",
             "modalites_accompagnement", "fiche_acces_libre", "itinerance",
             "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels",
             "source", "date_maj"]
# The 0.x column set and order of the regional exports of 2021-2022.
V0_HEADER = ["id", "nom", "services", "pivot", "commune", "code_postal", "adresse", "latitude",
             "longitude", "telephone", "courriel", "site_web", "publics_accueillis",
             "conditions_acces", "modalites_accompagnement", "labels_nationaux", "horaires",
             "presentation_resume", "source", "date_maj"]

SERVICES_V1 = ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien",
               "Insertion professionnelle via le numérique", "Utilisation sécurisée du numérique",
               "Parentalité et éducation avec le numérique", "Loisirs et créations numériques",
               "Compréhension du monde numérique", "Accès internet et matériel informatique",
               "Acquisition de matériel informatique à prix solidaire"]
SERVICES_V0 = ["Accéder à une connexion internet", "Accéder à du matériel",
               "Prendre en main un ordinateur", "Utiliser le numérique au quotidien",
               "Approfondir ma culture numérique", "Prendre en main un smartphone ou une tablette",
               "Promouvoir la citoyenneté numérique", "Accompagner les démarches de santé",
               "Devenir autonome dans les démarches administratives",
               "Réaliser des démarches administratives avec un accompagnement",
               "Favoriser mon insertion professionnelle", "Créer avec le numérique",
               "Soutenir la parentalité et l'éducation avec le numérique"]
PUBLICS = ["Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes"]
PRISE_EN_CHARGE = ["Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme",
                   "Langues étrangères (anglais)", "Langues étrangères (autres)",
                   "Déficience visuelle"]
FRAIS = ["Gratuit", "Gratuit sous condition", "Payant"]
ACCES = ["Se présenter", "Téléphoner", "Contacter par mail",
         "Envoyer un mail avec une fiche de prescription", "Prendre un RDV en ligne"]
ACCOMPAGNEMENT = ["En autonomie", "Accompagnement individuel", "Dans un atelier collectif",
                  "À distance"]
DISPOSITIFS = ["Aidants Connect", "Conseillers numériques", "France Services",
               "Certification PIX", "Point d'accès numérique CAF", "Promeneurs du net",
               "Emmaüs Connect"]
PUBLICS_V0 = ["Adultes", "Familles/enfants", "Jeunes (16-26 ans)", "Seniors (+ 65 ans)",
              "Surdité", "Handicaps mentaux : déficiences limitant les activités d'une personne",
              "Personnes en situation d'illettrisme", "Public langues étrangères",
              "Uniquement femmes"]
CONDITIONS_V0 = ["Gratuit : Je peux accéder gratuitement au lieu et à ses services",
                 "Gratuit sous condition : La gratuité est conditionnée à des critères "
                 "(situation familiale, convention avec un organisme social...)",
                 "Payant : L'accès au lieu et/ou à ses services est payant",
                 "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer",
                 "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique "
                 "pour accéder au lieu"]
ACCOMPAGNEMENT_V0 = ["Seul : j'ai accès à du matériel et une connexion",
                     "Avec de l'aide : je suis accompagné seul dans l'usage du numérique",
                     "Dans un atelier : j'apprends collectivement à utiliser le numérique",
                     "A ma place : une personne habilitée fait les démarches à ma place"]
LABELS_V0 = ["France Services", "CNFS", "Aidants Connect", "APTIC", "Point numérique CAF"]
HOURS_OK = ["Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00", "Tu 14:00-16:00; Th 09:00-12:00,17:00-18:30",
            "We,Sa 09:30-12:30", "24/7", "Mo-Fr 08:00-12:00; PH off", "Mo-Fr 09:00-12:30,13:30-17:00",
            "Tu-Sa 10:00-12:00,14:00-18:00; Mo off", "Mo,We,Fr 09:00-12:00",
            "Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00",
            "Mo-Fr 09:00-17:00; Sa 10:00-12:00 \"sur rendez-vous\""]
HOURS_BAD = ["Sur rendez-vous uniquement", "lundi matin et jeudi après-midi",
             "Jan-Jun Mo 09:00-12:00", "Mo-Fr 9 à 12h"]
TYPOS = ["MUNI", "CCAS", "ASSO", "BIB", "RFS", "EPN", "TIERS_LIEUX", "CS", "MJC", "FABLAB", "LA_POSTE"]
SOURCES = ["Conseiller Numérique", "France Services", "Bretagne Inclusion"]
WORDS = ["Le Lien", "L'Établi", "La Passerelle", "Ti Numerik", "Les Écluses", "Kerlann",
         "Ar Vro", "Le Fil d'Ariane", "Océane", "La Ruche", "Cœur de Bourg"]
STREETS = ["rue de la Mairie", "place de l'Église", "rue Jean Jaurès", "avenue de la Gare",
           "rue du Général de Gaulle", "impasse des Écoles", "quai de l'Odet", "rue de Brest",
           "chemin de Kerbernez", "boulevard de la Liberté"]


def communes(path, deps):
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if (deps is None or r["departement"] in deps) and r["codes_postaux"] and r["latitude"]:
                out.append(r)
    return out


def phone(rnd, dep):
    n = "0" + rnd.choice("2345679") + "".join(rnd.choice("0123456789") for _ in range(8))
    style = rnd.randrange(6)
    if style == 0:
        return n
    if style == 1:
        return " ".join(n[i:i + 2] for i in range(0, 10, 2))
    if style == 2:
        return ".".join(n[i:i + 2] for i in range(0, 10, 2))
    if style == 3:
        return "+33 " + n[1] + " " + " ".join(n[i:i + 2] for i in range(2, 10, 2))
    if style == 4:
        return "+33" + n[1:]
    return ""


def slug(s):
    t = s.lower()
    for a, b in (("é", "e"), ("è", "e"), ("ê", "e"), ("à", "a"), ("â", "a"), ("ç", "c"),
                 ("ô", "o"), ("î", "i"), ("ï", "i"), ("û", "u"), ("ù", "u"), ("œ", "oe"),
                 ("'", "-"), (" ", "-"), ("’", "-")):
        t = t.replace(a, b)
    return "".join(c for c in t if c.isalnum() or c == "-").strip("-")[:30] or "lieu"


def name(rnd, c):
    nom = c["nom"]
    return rnd.choice([
        f"Espace Public Numérique de {nom}",
        f"Médiathèque {rnd.choice(WORDS)}",
        f"France Services {nom}",
        f"Mairie de {nom}",
        f"Centre social \"{rnd.choice(WORDS)}\"",
        f"Association {rnd.choice(WORDS)}, numérique pour tous",
        f"CCAS de {nom}",
        f"Tiers-lieu {rnd.choice(WORDS)}",
        f"Maison de l'emploi – {nom}",
        f"Point numérique CAF {nom}",
    ])


def place(rnd, i, c, form, earlier):
    nom = name(rnd, c)
    cp = c["codes_postaux"].split("|")[0]
    commune = c["nom"]
    if i % 7 == 3:
        commune = commune.upper()
    if commune.lower().startswith("saint-") and i % 3 == 0:
        commune = "ST " + commune[6:].replace("-", " ")
    lat = float(c["latitude"]) + rnd.uniform(-0.01, 0.01)
    lon = float(c["longitude"]) + rnd.uniform(-0.01, 0.01)
    has_coords = i % 11 != 0
    site = slug(nom) + "." + rnd.choice(["fr", "bzh", "org"])
    emails = ["contact@" + site]
    if i % 4 == 0:
        emails.append("mediation." + slug(commune)[:12] + "@" + site)
    hours = rnd.choice(HOURS_BAD) if i % 23 == 0 else ("" if i % 13 == 0 else rnd.choice(HOURS_OK))
    web = "" if i % 10 == 0 else ("www." + site if i % 17 == 0 else "https://" + site)
    date = f"20{rnd.randint(21, 24)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    adresse = f"{rnd.randint(1, 120)}{', ' if i % 5 == 0 else ' '}{rnd.choice(STREETS)}"
    resume = f"Accompagnement au numérique à {c['nom']} : démarches, « premiers pas », ateliers."
    if form == 0:
        return {
            "id": str(1000 + i), "nom": nom,
            "services": ";".join(rnd.sample(SERVICES_V0, rnd.randint(1, 6))),
            "pivot": "".join(rnd.choice("0123456789") for _ in range(14)),
            "commune": commune, "code_postal": cp, "adresse": adresse,
            "latitude": f"{lat:.6f}" if has_coords else "",
            "longitude": f"{lon:.6f}" if has_coords else "",
            "telephone": phone(rnd, c["departement"]), "courriel": ";".join(emails),
            "site_web": web,
            "publics_accueillis": ";".join(rnd.sample(PUBLICS_V0, rnd.randint(0, 4))),
            "conditions_acces": ";".join(rnd.sample(CONDITIONS_V0, rnd.randint(1, 2))),
            "modalites_accompagnement": ";".join(rnd.sample(ACCOMPAGNEMENT_V0, rnd.randint(1, 3))),
            "labels_nationaux": ";".join(rnd.sample(LABELS_V0, rnd.randint(0, 2))),
            "horaires": hours, "presentation_resume": resume,
            "source": rnd.choice(SOURCES), "date_maj": date,
        }
    source = rnd.choice(SOURCES)
    parent = ""
    same = earlier.setdefault(source, [])  # the earlier places of this source, in order
    if i % 37 == 5 and same:
        parent = rnd.choice(same)
    pid = f"bzh-{i:05d}"
    same.append(pid)
    services = rnd.sample(SERVICES_V1, rnd.randint(1, 4))
    if i % 29 == 0:
        services.append("Cours de cuisine")  # not a service of the standard: kept as a tag
    pivot = "".join(rnd.choice("0123456789") for _ in range(14))
    if i % 19 == 0:
        pivot = "W" + "".join(rnd.choice("0123456789") for _ in range(9))
    return {
        "id": pid, "nom": nom, "pivot": pivot, "structure_parente": parent,
        "typologie": "|".join(rnd.sample(TYPOS, rnd.randint(0, 2))),
        "commune": commune, "code_postal": cp,
        "code_insee": "" if i % 9 == 0 else c["code_insee"],
        "adresse": adresse,
        "complement_adresse": "Bâtiment B, 2e étage" if i % 6 == 0 else "",
        "latitude": f"{lat:.6f}" if has_coords else "",
        "longitude": f"{lon:.6f}" if has_coords else "",
        "telephone": phone(rnd, c["departement"]), "courriels": "|".join(emails),
        "site_web": web, "horaires": hours,
        "prise_rdv": f"https://rdv.{site}/prendre-rdv?lieu={i}" if i % 8 == 0 else "",
        "presentation_resume": resume,
        "presentation_detail": ("Ateliers \"smartphone\" le mardi ;\nAide aux démarches "
                                "CAF, impôts, ANTS.\nSur place : 3 ordinateurs, wifi.") if i % 3 == 0 else "",
        "services": "|".join(services),
        "publics_specifiquement_adresses": "|".join(rnd.sample(PUBLICS, rnd.randint(0, 3))),
        "prise_en_charge_specifique": "|".join(rnd.sample(PRISE_EN_CHARGE, rnd.randint(0, 2))),
        "frais_a_charge": "|".join(rnd.sample(FRAIS, rnd.randint(1, 2))),
        "modalites_acces": "|".join(rnd.sample(ACCES, rnd.randint(0, 3))),
        "modalites_accompagnement": "|".join(rnd.sample(ACCOMPAGNEMENT, rnd.randint(1, 3))),
        "fiche_acces_libre": (f"https://acceslibre.beta.gouv.fr/app/{c['departement']}-"
                              f"{slug(c['nom'])}/a/espace-numerique/erp/{slug(nom)}/") if i % 4 == 1 else "",
        "itinerance": rnd.choice(["Fixe", "Fixe", "Itinérant", "Itinérant|Fixe", ""]),
        "dispositif_programmes_nationaux": "|".join(rnd.sample(DISPOSITIFS, rnd.randint(0, 2))),
        "formations_labels": rnd.choice(["", "", "Pix", "Les Bons Clics|Pix"]),
        "autres_formations_labels": rnd.choice(["", "", "Label Numérique Inclusif"]),
        "source": source, "date_maj": date,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--form", type=int, choices=[0, 1], default=1)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--departements", default="22,29,35,56")
    ap.add_argument("--seed", type=int, default=29)
    ap.add_argument("--communes", default="data/communes.csv")
    a = ap.parse_args()
    deps = None if a.departements == "all" else set(a.departements.split(","))
    cs = communes(a.communes, deps)
    rnd = random.Random(a.seed)
    header = V1_HEADER if a.form == 1 else V0_HEADER
    w = csv.DictWriter(sys.stdout, fieldnames=header, lineterminator="\r\n")
    w.writeheader()
    earlier = {}
    for i in range(a.count):
        w.writerow(place(rnd, i, cs[i % len(cs)] if i < len(cs) else rnd.choice(cs), a.form, earlier))


if __name__ == "__main__":
    main()
