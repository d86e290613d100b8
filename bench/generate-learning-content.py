#!/usr/bin/env python3
"""Writes a learning-content document shaped as the content API's GET /databases/airtable answer.

    bench/generate-learning-content.py SCALE OUTPUT
    SHAPE=varied bench/generate-learning-content.py SCALE OUTPUT

Scale 1 is a realistic document (~94 MB: 60k challenges, 5k skills, 15k attachments, 9k tutorials, areas,
competences, tubes, courses); scale 5 is five times that. Written item by item: memory stays small.
SHAPE=varied writes the same items in another shape, as the real API may: long texts twice as long, each with a
nested `…_i18n` object of three locales beside its flat value, more fields the mapping ignores (nested objects,
arrays of objects), emoji and other scripts, fields in another order (scale 1: ~160 MB).
"""
import os
import json
import random
import sys

scale = float(sys.argv[1])
output = sys.argv[2]
rng = random.Random(42)
varied = os.environ.get("SHAPE", "bench") == "varied"
WORDS = ("le la les un une des de du et à en pour sur avec dans par que qui ne pas plus tout faire "
         "recherche information document fichier image texte réponse question site page données "
         "compétence numérique «citation» l'élève «a,b» {accolade} \"guillemets\" back\\slash 日本語").split()


def sentence(n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def vary(item):
    """The varied shape: longer texts, _i18n objects, ignored nested fields, other scripts, shuffled fields."""
    if not varied:
        return item
    out = {}
    for key, value in item.items():
        if isinstance(value, str) and len(value) > 80:
            value = value + " " + sentence(len(value.split())) + " ✅ Ελληνικά 😀 العربية"
            out[key + "_i18n"] = {loc: sentence(3) for loc in ("fr", "en", "nl")}
        out[key] = value
    out["history"] = [{"at": "2024-01-%02dT00:00:00Z" % (1 + k), "by": sentence(2), "changes": {"field": sentence(1)}}
                      for k in range(rng.randint(0, 2))]
    out["meta"] = {"airtable": {"createdTime": "2023-01-01T00:00:00.000Z", "tags": [sentence(1) for _ in range(5)]},
                   "score": rng.random(), "flags": [rng.random() < 0.5 for _ in range(4)]}
    keys = list(out)
    rng.shuffle(keys)
    return {k: out[k] for k in keys}


def counts(base):
    return max(1, int(base * scale))


def table(out, name, n, make, first):
    out.write(("" if first else ",") + json.dumps(name) + ":[")
    for i in range(n):
        if i:
            out.write(",")
        out.write(json.dumps(vary(make(i)), ensure_ascii=False))
    out.write("]")


def challenge(i):
    return {
        "id": f"recChal{i}", "instruction": sentence(22) + "\n\n" + sentence(6), "status": rng.choice(["validé", "archivé", "proposé"]),
        "type": rng.choice(["QCM", "QCU", "QROC", "QROCM-dep"]), "timer": rng.choice([None, 60, 120]),
        "autoReply": rng.random() < 0.1, "skillId": f"recSkill{i % n_skills}", "locales": ["fr", "fr-fr"],
        "embedUrl": "https://epreuves.example/embed/" + str(i) if i % 7 == 0 else None,
        "alternativeInstruction": sentence(12) if i % 3 == 0 else "", "area": "France", "focusable": i % 5 == 0,
        "solutionToDisplay": sentence(10), "delta": round(rng.uniform(-2, 2), 4), "alpha": round(rng.uniform(0, 3), 4),
        "createdAt": "2023-05-04T10:11:12.000Z", "validatedAt": "2023-06-01T00:00:00.000Z", "archivedAt": None,
        "madeObsoleteAt": None, "accessibility1": "OK", "accessibility2": "RAS", "spoil": "Non Sp", "responsive": "Smartphone",
        "deafAndHardOfHearing": "OK", "requireGafamWebsiteAccess": False, "isIncompatibleIpadCertif": False,
        "toRephrase": False, "isAwarenessChallenge": False, "genealogy": "Prototype 1", "version": 1 + i % 3,
        "alternativeVersion": i % 4, "declinable": "facilement", "proposals": "- " + "\n- ".join(sentence(4) for _ in range(4)),
        "solution": "1,3", "pedagogy": "e-preuve", "shuffled": i % 2 == 0,
        "contextualizedFields": ["instruction", "illustration"], "urlsToConsult": [f"https://site.example/{i}", "https://a,b"],
        "illustrationUrl": "https://images.example/x.png", "unknownField": sentence(5),
    }


def skill(i):
    return {"id": f"recSkill{i}", "name": f"@skill{i}", "description": sentence(12), "level": 1 + i % 8,
            "tubeId": [f"recTube{i % n_tubes}"], "status": "actif", "pixValue": round(rng.uniform(0, 9.99999), 5),
            "hint_i18n": {"fr": sentence(10), "en": sentence(10)}, "hintStatus": "Validé",
            "tutorialIds": [f"recTuto{(i * 3 + k) % n_tutorials}" for k in range(3)],
            "learningMoreTutorialIds": [f"recTuto{(i * 5) % n_tutorials}"], "internationalisation": "Monde"}


n_challenges, n_skills, n_attachments, n_tutorials = counts(60000), counts(5000), counts(15000), counts(9000)
n_tubes, n_competences, n_areas, n_courses = counts(800), 16, 5, counts(300)
with open(output, "w", encoding="utf-8") as out:
    out.write("{")
    table(out, "areas", n_areas, lambda i: {"id": f"recArea{i}", "name": f"{i + 1}. " + sentence(3)}, True)
    table(out, "competences", n_competences, lambda i: {
        "id": f"recComp{i}", "name_i18n": {"fr": sentence(5), "en": sentence(5)}, "index": f"{i // 3 + 1}.{i % 3 + 1}",
        "origin": "Pix", "areaId": [f"recArea{i % n_areas}"]}, False)
    table(out, "tubes", n_tubes, lambda i: {
        "id": f"recTube{i}", "name": f"@tube{i}", "practicalTitle_i18n": {"fr": sentence(4)},
        "practicalDescription_i18n": {"fr": sentence(20)}, "competenceId": [f"recComp{i % n_competences}"]}, False)
    table(out, "skills", n_skills, skill, False)
    table(out, "challenges", n_challenges, challenge, False)
    table(out, "attachments", n_attachments, lambda i: {
        "id": f"recAtt{i}", "type": rng.choice(["illustration", "attachment"]), "challengeId": f"recChal{i % n_challenges}",
        "alt": sentence(10), "url": f"https://files.example/{i}.png", "size": rng.randint(1000, 900000)}, False)
    table(out, "courses", n_courses, lambda i: {"id": f"recCourse{i}", "name": sentence(4),
                                                "challenges": [f"recChal{k}" for k in range(i, i + 20)]}, False)
    table(out, "tutorials", n_tutorials, lambda i: {
        "id": f"recTuto{i}", "title": sentence(6), "link": f"https://tuto.example/{i}", "source": "Pix",
        "tutorialForSkills": [f"recSkill{i % n_skills}"], "furtherInformation": [f"recSkill{(i + 1) % n_skills}"],
        "locale": "fr-fr", "duration": "00:03:00", "format": "vidéo"}, False)
    out.write("}")
