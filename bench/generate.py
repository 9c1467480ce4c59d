#!/usr/bin/env python3
"""The benchmark's observatory: the same random records as a limes site and a Hugo site.

    python3 bench/generate.py --practices 1000 --langs 3 --seed 1 --out DIR

writes

    DIR/limes/   a limes site (observatory.toml, content/, i18n/, themes/ copied from
                 the repository)
    DIR/hugo/    a Hugo site with templates equivalent to limes's default theme
                 (hugo.toml, content/<lang>/, layouts/, i18n/, assets/, static/)
    DIR/facts.json  what the benchmark needs: counts, and the one-word queries

Deterministic: the same arguments give the same bytes. Standard library only.

The records: N practices in 3 to 5 languages (en, fr, hr, sl, it), not every practice
translated into every language (limes shows the missing ones from a fallback language;
the Hugo site gets a copy of the fallback text in that language, since Hugo has no
fallback of its own); about N/10 partners; a few dozen territories with levels, borders,
indicators and yearly observations in two CSV files; themes, target groups and partner
kinds; bodies of a few paragraphs with headings, a list, sometimes a table, and links to
other practices, partners and territories written as limes writes them (`@/practices/x`),
which the Hugo site resolves with a link render hook, so that the Markdown is the same.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import math
import random
import shutil
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
GENERATOR_VERSION = 1
LANG_POOL = ["en", "fr", "hr", "sl", "it"]
# How often a practice is written in each language of the pool (the others show it from
# a fallback); at least one is always written.
WRITTEN = {"en": 0.85, "fr": 0.6, "hr": 0.5, "sl": 0.45, "it": 0.5}

# ---------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------

# Word families of the field, aligned across the five languages (first form most used).
FAMILIES = {
    "social": ("social socially", "social sociale sociaux sociales", "socijalni socijalna socijalne socijalnih",
               "socialni socialna socialne socialnih", "sociale sociali socialmente"),
    "support": ("support supports supported", "soutien soutenir soutenu", "potpora potpore potporu",
                "podpora podpore podporo", "sostegno sostenere sostenuto"),
    "service": ("service services", "service services", "usluga usluge uslugama", "storitev storitve storitev",
                "servizio servizi"),
    "people": ("people persons", "personnes personne", "osobe osoba osobama", "ljudje osebe oseb", "persone persona"),
    "local": ("local locally", "local locale locaux", "lokalni lokalna lokalne", "lokalni lokalna lokalne",
              "locale locali"),
    "border": ("border borders cross-border", "frontière frontières transfrontalier", "granica granice prekogranični",
               "meja meje čezmejni", "confine confini transfrontaliero"),
    "cooperation": ("cooperation cooperate", "coopération coopérer", "suradnja suradnje suradnju",
                    "sodelovanje sodelovanja sodelovati", "cooperazione cooperare"),
    "employment": ("employment employers jobs", "emploi emplois employeurs", "zapošljavanje zapošljavanja poslodavci",
                   "zaposlovanje zaposlitve delodajalci", "occupazione lavoro datori"),
    "activation": ("activation active activities", "activation actif activités", "aktivacija aktivni aktivnosti",
                   "aktivacija aktivni dejavnosti", "attivazione attivo attività"),
    "health": ("health healthy", "santé sanitaire", "zdravlje zdravstveni zdravlja", "zdravje zdravstveni zdravja",
               "salute sanitario sanitaria"),
    "youth": ("young youth", "jeunes jeunesse", "mladi mladih mladima", "mladi mladih mladim", "giovani gioventù"),
    "training": ("training trainers trained", "formation formations formé", "osposobljavanje obuka obuke",
                 "usposabljanje usposabljanja", "formazione formazioni formato"),
    "network": ("network networks", "réseau réseaux", "mreža mreže mrežu", "mreža mreže mrežo", "rete reti"),
    "inclusion": ("inclusion inclusive", "inclusion inclusive", "uključivanje uključenost", "vključevanje vključenost",
                  "inclusione inclusiva"),
    "community": ("community communities", "communauté communautés", "zajednica zajednice zajednici",
                  "skupnost skupnosti", "comunità comunitario"),
    "project": ("project projects", "projet projets", "projekt projekta projekti", "projekt projekta projekti",
                "progetto progetti"),
    "partnership": ("partnership partners", "partenariat partenaires", "partnerstvo partneri partnera",
                    "partnerstvo partnerji partnerjev", "partenariato partner"),
    "region": ("region regions regional", "région régions régional", "regija regije regionalni",
               "regija regije regionalni", "regione regioni regionale"),
    "education": ("education educational", "éducation éducatif", "obrazovanje obrazovanja obrazovni",
                  "izobraževanje izobraževanja", "istruzione educazione educativo"),
    "care": ("care carers", "soins soin", "skrb skrbi", "oskrba oskrbe", "cura assistenza"),
    "elderly": ("elderly older", "âgées âgés", "starije starijih", "starejši starejših", "anziani anziane"),
    "migrants": ("migrants migration", "migrants migration", "migranti migranata migracija",
                 "migranti migrantov migracije", "migranti migrazione"),
    "housing": ("housing homes", "logement logements", "stanovanje stanovanja", "stanovanje stanovanja",
                "alloggio abitazioni"),
    "workers": ("workers work", "travailleurs travail", "radnici rad rada", "delavci delo dela", "lavoratori lavoro"),
    "centre": ("centre centres", "centre centres", "centar centra centri", "center centra centri", "centro centri"),
    "family": ("family families", "famille familles", "obitelj obitelji", "družina družine", "famiglia famiglie"),
    "children": ("children child", "enfants enfant", "djeca djece", "otroci otrok", "bambini bambino"),
    "skills": ("skills skilled", "compétences compétence", "vještine vještina", "veščine spretnosti",
               "competenze competenza"),
    "poverty": ("poverty poor", "pauvreté précarité", "siromaštvo siromaštva", "revščina revščine",
                "povertà poveri"),
    "municipality": ("municipality municipalities", "commune communes", "općina općine", "občina občine",
                     "comune comuni"),
    "unemployed": ("unemployed unemployment", "chômeurs chômage", "nezaposleni nezaposlenih nezaposlenost",
                   "brezposelni brezposelnih brezposelnost", "disoccupati disoccupazione"),
    "culture": ("culture cultural", "culture culturel culturelle", "kultura kulture kulturni", "kultura kulture kulturni",
                "cultura culturale"),
    "rural": ("rural", "rural rurale ruraux", "ruralni ruralna", "podeželje podeželski", "rurale rurali"),
    "volunteers": ("volunteers volunteering", "bénévoles bénévolat", "volonteri volontiranje",
                   "prostovoljci prostovoljstvo", "volontari volontariato"),
    "digital": ("digital", "numérique numériques", "digitalni digitalna", "digitalni digitalna", "digitale digitali"),
    "women": ("women woman", "femmes femme", "žene žena", "ženske ženska", "donne donna"),
}
FAMILY_KEYS = list(FAMILIES)
FORMS = {lang: {k: FAMILIES[k][i].split() for k in FAMILY_KEYS} for i, lang in enumerate(LANG_POOL)}

FUNCTION_WORDS = {
    "en": "the of and to in a for with on is are by that as from at this their which be it was has have an or also more all its into between both through".split(),
    "fr": "de la le les des et à en du pour un une dans avec sur par qui que est sont au aux ce cette leur leurs plus entre ou ont été ainsi aussi".split(),
    "hr": "i u na za s je su od do se koji koja koje kao te a ili da iz o po pri kroz između što sve više također ovaj".split(),
    "sl": "in v na za s je so od do se ki kot ter a ali da iz o po pri skozi med kar vse več tudi ta to njihov".split(),
    "it": "di e il la le i gli in per con su è sono da che come dal della delle dei tra anche più questo questa loro nel nella al alla".split(),
}

# Synthetic words in the manner of each language: onsets, vowels, codas, endings.
SOUNDS = {
    "en": ("b c d f g h l m n p r s t v w br cr dr fl gr pl pr st tr sh th ch", "a e i o u ea ou io ai",
           "- - - n r s t l m nd nt st ct", "-,s -,s,ed,ing ation,ations ment,ments ity,ities al,ally er,ers ive,ives"),
    "fr": ("b c d f g l m n p r s t v br cr dr fr gr pl pr tr ch qu j", "a e i o u é è ou ai au oi an on",
           "- - - n r s l m nt rt", "-,s er,é,ée,ent ion,ions ement,ements ité,ités el,elle,els eur,eurs age,ages"),
    "hr": ("b c č ć d đ f g h j k l lj m n nj p r s š t v z ž br dr gr kr pr sl st tr", "a e i o u",
           "- - - - n r s l m k v j", "a,e,u,om -,a,u,om,i i,a,e,ih nje,nja,nju ost,osti ski,ska,sko"),
    "sl": ("b c č d f g h j k l m n p r s š t v z ž br dr gr kr pr sl st tr", "a e i o u",
           "- - - - n r s l m k v j", "a,e,o,i -,a,u,om,i i,a,e,ih nje,nja,nju ost,osti ski,ska,sko"),
    "it": ("b c d f g l m n p r s t v br cr dr fr gr pr tr ch gn sc", "a e i o u ia io",
           "- - - - n r l s", "o,i a,e are,ato,ando zione,zioni mento,menti ità ale,ali ore,ori"),
}
LEMMAS = 1800


def zipf(n: int, s: float = 1.0, q: float = 0.0):
    """A sampler of ranks 0..n-1 with weights 1/(rank+1+q)^s."""
    cum, total = [], 0.0
    for r in range(n):
        total += 1.0 / (r + 1 + q) ** s
        cum.append(total)
    return lambda rnd: min(n - 1, bisect.bisect_left(cum, rnd.random() * total))


def lexicon(lang: str, rnd: random.Random) -> list[list[str]]:
    """LEMMAS lemmas by rank, each a list of word forms; the families among the first ranks."""
    onset, vowel, coda, classes = (x.split() for x in SOUNDS[lang])
    coda = ["" if c == "-" else c for c in coda]
    classes = [["" if e == "-" else e for e in c.split(",")] for c in classes]
    used = set(FUNCTION_WORDS[lang])
    lemmas: list = [None] * LEMMAS
    for k, key in enumerate(FAMILY_KEYS):
        r = int(k ** 1.4)
        while lemmas[r]:
            r += 1
        lemmas[r] = FORMS[lang][key]
        used.update(FORMS[lang][key])
    for r in range(LEMMAS):
        while lemmas[r] is None:
            stem = "".join(rnd.choice(onset) + rnd.choice(vowel) for _ in range(rnd.randint(1, 3))) + rnd.choice(coda)
            forms = [stem + e for e in rnd.choice(classes)]
            if len(stem) < 3 or any(f in used for f in forms):
                continue
            used.update(forms)
            lemmas[r] = forms
    return lemmas


def place_names(rnd: random.Random, count: int, taken: set[str] = frozenset()) -> list[str]:
    onset = "B C D G K L M N P R S T V Z Br Gr Kr Pr St Tr Sv Vr Mont San Val Port Ca".split()
    mid = "a e i o u ar el ov in an er ol ag ur ent ill ovi ane".split()
    end = "ac ec ica ovo ano ona ille ine ia ello ovec ija ès ers en ik ina ate".split()
    out, seen = [], set(taken)
    while len(out) < count:
        name = rnd.choice(onset) + rnd.choice(mid) + (rnd.choice(mid) if rnd.random() < 0.5 else "") + rnd.choice(end)
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


# ---------------------------------------------------------------------------------------
# Vocabularies and statistics
# ---------------------------------------------------------------------------------------

# id, family the theme's practices talk about, labels en fr hr sl it
THEMES = [
    ("employment", "employment", "Employment", "Emploi", "Zapošljavanje", "Zaposlovanje", "Occupazione"),
    ("health", "health", "Health", "Santé", "Zdravlje", "Zdravje", "Salute"),
    ("education", "education", "Education", "Éducation", "Obrazovanje", "Izobraževanje", "Istruzione"),
    ("housing", "housing", "Housing", "Logement", "Stanovanje", "Stanovanje", "Alloggio"),
    ("social-inclusion", "inclusion", "Social inclusion", "Inclusion sociale", "Socijalna uključenost",
     "Socialna vključenost", "Inclusione sociale"),
    ("youth", "youth", "Youth", "Jeunesse", "Mladi", "Mladi", "Giovani"),
    ("elderly-care", "elderly", "Care for older people", "Soins aux personnes âgées", "Skrb za starije",
     "Oskrba starejših", "Assistenza agli anziani"),
    ("migration", "migrants", "Migration", "Migration", "Migracije", "Migracije", "Migrazione"),
    ("culture", "culture", "Culture", "Culture", "Kultura", "Kultura", "Cultura"),
    ("digital-skills", "digital", "Digital skills", "Compétences numériques", "Digitalne vještine",
     "Digitalne veščine", "Competenze digitali"),
    ("poverty", "poverty", "Poverty", "Pauvreté", "Siromaštvo", "Revščina", "Povertà"),
    ("family", "family", "Family", "Famille", "Obitelj", "Družina", "Famiglia"),
    ("rural-development", "rural", "Rural development", "Développement rural", "Ruralni razvoj",
     "Razvoj podeželja", "Sviluppo rurale"),
    ("volunteering", "volunteers", "Volunteering", "Bénévolat", "Volontiranje", "Prostovoljstvo", "Volontariato"),
    ("gender-equality", "women", "Gender equality", "Égalité femmes-hommes", "Ravnopravnost spolova",
     "Enakost spolov", "Parità di genere"),
    ("social-activation", "activation", "Social activation", "Activation sociale", "Socijalna aktivacija",
     "Socialna aktivacija", "Attivazione sociale"),
]
TARGET_GROUPS = [
    ("young-people", "Young people", "Jeunes", "Mladi", "Mladi", "Giovani"),
    ("older-people", "Older people", "Personnes âgées", "Starije osobe", "Starejši", "Anziani"),
    ("migrants", "Migrants", "Migrants", "Migranti", "Migranti", "Migranti"),
    ("people-with-disabilities", "People with disabilities", "Personnes handicapées", "Osobe s invaliditetom",
     "Invalidi", "Persone con disabilità"),
    ("long-term-unemployed", "Long-term unemployed people", "Chômeurs de longue durée", "Dugotrajno nezaposleni",
     "Dolgotrajno brezposelni", "Disoccupati di lunga durata"),
    ("families", "Families", "Familles", "Obitelji", "Družine", "Famiglie"),
    ("women", "Women", "Femmes", "Žene", "Ženske", "Donne"),
    ("children", "Children", "Enfants", "Djeca", "Otroci", "Bambini"),
    ("cross-border-workers", "Cross-border workers", "Travailleurs frontaliers", "Prekogranični radnici",
     "Čezmejni delavci", "Lavoratori frontalieri"),
    ("local-authorities", "Local authorities", "Collectivités locales", "Lokalne vlasti", "Lokalne oblasti",
     "Enti locali"),
]
KINDS = [
    ("ngo", "NGO", "ONG", "Udruga", "Nevladna organizacija", "ONG"),
    ("public-body", "Public body", "Organisme public", "Javno tijelo", "Javni organ", "Ente pubblico"),
    ("university", "University", "Université", "Sveučilište", "Univerza", "Università"),
    ("social-service", "Social service", "Service social", "Socijalna služba", "Socialna služba", "Servizio sociale"),
    ("employment-service", "Employment service", "Service de l’emploi", "Služba za zapošljavanje",
     "Zavod za zaposlovanje", "Servizio per l’impiego"),
]
KIND_WORDS = {
    "en": ["Association", "Social Centre", "Institute", "Agency", "Foundation", "University of"],
    "fr": ["Association", "Centre social", "Institut", "Agence", "Fondation", "Université de"],
    "hr": ["Udruga", "Centar za socijalnu skrb", "Institut", "Agencija", "Zaklada", "Sveučilište u"],
    "sl": ["Društvo", "Center za socialno delo", "Inštitut", "Agencija", "Fundacija", "Univerza v"],
    "it": ["Associazione", "Centro sociale", "Istituto", "Agenzia", "Fondazione", "Università di"],
}
COUNTRIES = ["FR", "IT", "SI", "HR", "AT", "ES"]
# id, labels en fr hr sl it
LEVELS = [
    ("NUTS2", "NUTS 2 region", "Région NUTS 2", "Regija NUTS 2", "Regija NUTS 2", "Regione NUTS 2"),
    ("NUTS3", "NUTS 3 region", "Région NUTS 3", "Regija NUTS 3", "Regija NUTS 3", "Regione NUTS 3"),
    ("county", "County", "Comté", "Županija", "Okraj", "Contea"),
]
TERRITORIES = 40
BORDERS = 8
# id, unit, decimals, better, names en fr hr sl it, file
INDICATORS = [
    ("unemployment-rate", "%", 1, "lower", ("Unemployment rate", "Taux de chômage", "Stopa nezaposlenosti",
     "Stopnja brezposelnosti", "Tasso di disoccupazione"), "labour"),
    ("youth-unemployment", "%", 1, "lower", ("Youth unemployment", "Chômage des jeunes", "Nezaposlenost mladih",
     "Brezposelnost mladih", "Disoccupazione giovanile"), "labour"),
    ("employment-rate", "%", 1, "higher", ("Employment rate", "Taux d’emploi", "Stopa zaposlenosti",
     "Stopnja zaposlenosti", "Tasso di occupazione"), "labour"),
    ("at-risk-of-poverty", "%", 1, "lower", ("At risk of poverty", "Risque de pauvreté", "Rizik od siromaštva",
     "Tveganje revščine", "Rischio di povertà"), "social"),
    ("early-school-leavers", "%", 1, "lower", ("Early school leavers", "Sorties précoces", "Rano napuštanje škole",
     "Zgodnji osip", "Abbandono scolastico"), "social"),
    ("cross-border-commuters", "per 1,000 inhabitants", 0, "neutral", ("Cross-border commuters", "Frontaliers",
     "Dnevni migranti", "Dnevni migranti", "Frontalieri"), "social"),
]
YEARS = range(2012, 2024)

# Interface words in the bodies.
HEADINGS = {
    "en": ["Context", "Approach", "Results", "Partners"], "fr": ["Contexte", "Démarche", "Résultats", "Partenaires"],
    "hr": ["Kontekst", "Pristup", "Rezultati", "Partneri"], "sl": ["Kontekst", "Pristop", "Rezultati", "Partnerji"],
    "it": ["Contesto", "Approccio", "Risultati", "Partner"],
}
PHRASES = {
    "en": {"coord": "Coordinated by", "see": "See also", "in": "Work took place in", "year": "Year",
           "reached": "People reached", "sessions": "Sessions", "people": "people", "report": "Final report"},
    "fr": {"coord": "Coordination :", "see": "Voir aussi", "in": "Le travail a eu lieu à", "year": "Année",
           "reached": "Personnes touchées", "sessions": "Séances", "people": "personnes", "report": "Rapport final"},
    "hr": {"coord": "Koordinacija:", "see": "Vidi i", "in": "Rad se odvijao u", "year": "Godina",
           "reached": "Obuhvaćene osobe", "sessions": "Sastanci", "people": "osoba", "report": "Završno izvješće"},
    "sl": {"coord": "Koordinacija:", "see": "Glej tudi", "in": "Delo je potekalo v", "year": "Leto",
           "reached": "Dosežene osebe", "sessions": "Srečanja", "people": "oseb", "report": "Končno poročilo"},
    "it": {"coord": "Coordinamento:", "see": "Vedi anche", "in": "Il lavoro si è svolto a", "year": "Anno",
           "reached": "Persone raggiunte", "sessions": "Sessioni", "people": "persone", "report": "Relazione finale"},
}
TITLES = {"en": "Cross-Border Social Observatory", "fr": "Observatoire social transfrontalier",
          "hr": "Prekogranični socijalni opservatorij", "sl": "Čezmejni socialni observatorij",
          "it": "Osservatorio sociale transfrontaliero"}
DESCRIPTIONS = {"en": "Practices of social cooperation across borders.",
                "fr": "Pratiques de coopération sociale transfrontalière.",
                "hr": "Prakse prekogranične socijalne suradnje.", "sl": "Prakse čezmejnega socialnega sodelovanja.",
                "it": "Pratiche di cooperazione sociale transfrontaliera."}
PAGES = [
    ("about", 10, ("About", "À propos", "O nama", "O nas", "Chi siamo")),
    ("methodology", 20, ("Methodology", "Méthodologie", "Metodologija", "Metodologija", "Metodologia")),
    ("legal-notice", 30, ("Legal notice", "Mentions légales", "Pravna napomena", "Pravno obvestilo", "Note legali")),
]


def q(s: str) -> str:
    """A TOML basic string."""
    return json.dumps(s, ensure_ascii=False)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# ---------------------------------------------------------------------------------------
# The records, independent of either site
# ---------------------------------------------------------------------------------------

class Text:
    """Texts drawn once as abstract tokens and rendered in each language, so that the
    translations of a record say "the same" things in their own words."""

    def __init__(self, seed: int, langs: list[str], places: list[str]):
        self.langs = langs
        self.lex = {l: lexicon(l, random.Random(f"{seed}-lexicon-{l}")) for l in langs}
        self.places = places
        self.lemma_of = zipf(LEMMAS, 1.0, 2)
        self.place_of = zipf(len(places), 1.1, 5)

    def sentence(self, rnd: random.Random, topic: list[int], lo: int, hi: int) -> list:
        out = []
        for _ in range(rnd.randint(lo, hi)):
            x = rnd.random()
            if x < 0.42:
                out.append(("f", rnd.random()))
            elif x < 0.47:
                out.append(("p", self.place_of(rnd)))
            elif x < 0.49:
                out.append(("n", str(rnd.randint(2005, 2024) if rnd.random() < 0.5 else rnd.randint(3, 900))))
            else:
                lemma = rnd.choice(topic) if rnd.random() < 0.15 else self.lemma_of(rnd)
                out.append(("w", lemma, rnd.random(), rnd.random() < 0.07, rnd.random() < 0.01))
        return out

    def paragraph(self, rnd, topic):
        return [self.sentence(rnd, topic, 9, 24) for _ in range(rnd.randint(3, 6))]

    def render(self, lang: str, tokens: list, end: str = ".") -> str:
        words = []
        fw = FUNCTION_WORDS[lang]
        for tok in tokens:
            if tok[0] == "f":
                w = fw[min(len(fw) - 1, int(tok[1] * tok[1] * len(fw)))]
            elif tok[0] == "p":
                w = self.places[tok[1]]
            elif tok[0] == "n":
                w = tok[1]
            else:
                _, lemma, v, comma, bold = tok
                forms = self.lex[lang][lemma]
                w = forms[int(v * v * len(forms))]
                if bold:
                    w = f"**{w}**"
                if comma:
                    w += ","
            words.append(w)
        if not words:
            return ""
        words[0] = cap(words[0])
        return " ".join(words).rstrip(",") + end

    def para(self, lang, sentences):
        return " ".join(self.render(lang, s) for s in sentences)


def make_records(n: int, langs: list[str], seed: int) -> dict:
    """Every record of the observatory, with the text of each language it is written in."""
    rnd = random.Random(f"{seed}-site")
    places = place_names(random.Random(f"{seed}-places"), 3000)
    text = Text(seed, langs, places)
    li = {l: LANG_POOL.index(l) for l in langs}

    territories = []
    for t in range(TERRITORIES):
        country = COUNTRIES[t % len(COUNTRIES)]
        level = LEVELS[t % 7 % 3][0]
        tid = f"{country}{t // len(COUNTRIES) + 1:02d}{t % 3}"
        name = places[t]
        territories.append({"id": tid, "country": country, "level": level, "name": {
            "en": f"{name} county", "fr": f"Département de {name}", "hr": f"Županija {name}",
            "sl": f"Regija {name}", "it": f"Provincia di {name}"}})
    borders = []
    for b in range(BORDERS):
        a, c = places[40 + 2 * b], places[41 + 2 * b]
        sides = [[territories[2 * b]["id"], territories[2 * b + 16]["id"]], [territories[2 * b + 1]["id"]]]
        borders.append({"id": f"border-{b + 1}", "sides": sides, "name": {
            "en": f"{a}–{c} border area", "fr": f"Espace frontalier {a}–{c}", "hr": f"Granično područje {a}–{c}",
            "sl": f"Obmejno območje {a}–{c}", "it": f"Area di confine {a}–{c}"}})
    observations = {"labour": [], "social": []}
    for t in territories:
        trnd = random.Random(f"{seed}-obs-{t['id']}")
        for ind in INDICATORS:
            base = trnd.uniform(3, 40) if ind[1] == "%" else trnd.uniform(5, 200)
            for year in YEARS:
                base = max(0.5, base + trnd.uniform(-1.5, 1.5))
                if trnd.random() < 0.07:
                    observations[ind[5]].append((t["id"], ind[0], year, "", "not published"))
                else:
                    v = f"{base:.{max(1, ind[2])}f}" if ind[2] else f"{round(base)}"
                    note = "provisional" if year == YEARS[-1] and trnd.random() < 0.3 else ""
                    observations[ind[5]].append((t["id"], ind[0], year, v, note))

    # Partners: about N/10, some practices name many of them (Zipf).
    n_partners = max(5, n // 10)
    partner_of = zipf(n_partners, 0.7, 10)
    partners = []
    for p in range(n_partners):
        prnd = random.Random(f"{seed}-partner-{p}")
        place = places[text.place_of(prnd)]
        kind_word = prnd.randrange(6)
        focus = text.lemma_of(prnd)
        about = [text.paragraph(prnd, [focus]) for _ in range(prnd.randint(1, 2))]
        written = [l for l in langs if l == langs[0] or prnd.random() < 0.45]
        partners.append({
            "slug": f"partner-{p:05d}", "kind": KINDS[prnd.randrange(len(KINDS))][0],
            "country": prnd.choice(COUNTRIES), "territory": territories[prnd.randrange(TERRITORIES)]["id"],
            "city": place, "website": f"https://partner-{p:05d}.example.org/",
            "text": {l: {"name": f"{KIND_WORDS[l][kind_word]} {place} {cap(text.lex[l][focus][0])}",
                         "body": "\n\n".join(text.para(l, para) for para in about)} for l in written},
        })

    # Practices: coordinators are a long tail of surnames (a rare word of the corpus).
    surnames = place_names(random.Random(f"{seed}-surnames"), max(500, n // 2), set(places))
    theme_of = zipf(len(THEMES), 0.8, 1)
    heads = ["cooperation", "network", "centre", "support", "partnership", "service", "project"]
    head_of = zipf(len(heads), 1.0, 2)
    family_rank = {k: next(r for r, forms in enumerate(text.lex[langs[0]]) if forms == FORMS[langs[0]][k])
                   for k in FAMILY_KEYS}
    practices = []
    coordinated: dict[int, int] = {}
    for i in range(n):
        prnd = random.Random(f"{seed}-practice-{i}")
        themes = list(dict.fromkeys(THEMES[theme_of(prnd)][0] for _ in range(prnd.randint(1, 3))))
        groups = list(dict.fromkeys(prnd.choice(TARGET_GROUPS)[0] for _ in range(prnd.randint(1, 3))))
        terrs = list(dict.fromkeys(territories[prnd.randrange(TERRITORIES)]["id"] for _ in range(prnd.randint(1, 2))))
        countries = list(dict.fromkeys(t[:2] for t in terrs))
        prts = list(dict.fromkeys(partners[partner_of(prnd)]["slug"] for _ in range(prnd.randint(1, 4))))
        border = f"border-{prnd.randrange(BORDERS) + 1}" if prnd.random() < 0.3 else None
        topic = [family_rank[next(t[1] for t in THEMES if t[0] == th)] for th in themes]
        topic += [int(math.exp(prnd.random() * math.log(1500))) + 20 for _ in range(6)]
        title = [("w", family_rank[heads[head_of(prnd)]], 0.0, False, False), ("f", 0.3),
                 ("w", prnd.choice(topic), prnd.random(), False, False),
                 ("w", text.lemma_of(prnd), prnd.random(), False, False)]
        if prnd.random() < 0.5:
            title += [("f", 0.5), ("p", text.place_of(prnd))]
        summary = text.sentence(prnd, topic, 16, 30)
        context = [text.paragraph(prnd, topic) for _ in range(prnd.randint(1, 2))]
        approach = text.paragraph(prnd, topic)
        items = [text.sentence(prnd, topic, 4, 9) for _ in range(prnd.randint(3, 5))] if prnd.random() < 0.6 else []
        approach2 = text.paragraph(prnd, topic) if prnd.random() < 0.5 else None
        table = ([(y, prnd.randint(10, 400), prnd.randint(2, 40)) for y in range(prnd.randint(2015, 2019), 2022)]
                 if prnd.random() < 0.25 else None)
        results = text.paragraph(prnd, topic)
        links = sorted({prnd.randrange(n) for _ in range(prnd.randint(0, 3))} - {i})
        coordinator = prnd.randrange(len(surnames))
        coordinated[coordinator] = coordinated.get(coordinator, 0) + 1
        written = [l for l in langs if prnd.random() < WRITTEN[l]] or [langs[0]]
        start_year = prnd.randint(2008, 2024)
        status = prnd.choice(["planned", "ongoing", "ongoing", "completed", "completed"])
        end = (f"{start_year + prnd.randint(1, 4)}-{prnd.randint(1, 12):02d}-28"
               if status == "completed" else None)
        practices.append({
            "slug": f"practice-{i:05d}", "status": status, "start": f"{start_year}-{prnd.randint(1, 12):02d}-01",
            "end": end, "countries": countries, "territories": terrs, "border": border, "themes": themes,
            "target_groups": groups, "partners": prts,
            "budget": prnd.randint(5, 2000) * 1000, "transferability": prnd.choice(["low", "medium", "high"]),
            "reached": prnd.randint(10, 5000), "sessions": prnd.randint(2, 200),
            "website": f"https://practice-{i:05d}.example.org/" if prnd.random() < 0.5 else None,
            "written": written,
            "tokens": (title, summary, context, approach, items, approach2, table, results, links, coordinator),
        })

    # Practice bodies need the other practices' titles, so they are rendered last.
    def title_in(p, lang):
        return text.render(lang, p["tokens"][0], end="")

    for p in practices:
        title, summary, context, approach, items, approach2, table, results, links, coordinator = p["tokens"]
        p["text"] = {}
        for lang in p["written"]:
            h, ph = HEADINGS[lang], PHRASES[lang]
            out = [f"## {h[0]}", *(text.para(lang, c) for c in context),
                   f"## {h[1]}", text.para(lang, approach)]
            if items:
                out.append("\n".join(f"- {text.render(lang, s, end='')}" for s in items))
            if approach2:
                out.append(text.para(lang, approach2))
            if table:
                rows = [f"| {ph['year']} | {cap(ph['people'])} | {ph['sessions']} |", "| --- | ---: | ---: |"]
                rows += [f"| {y} | {a} | {b} |" for y, a, b in table]
                out.append("\n".join(rows))
            out += [f"## {h[2]}", text.para(lang, results)]
            terr = next(t for t in territories if t["id"] == p["territories"][0])
            out.append(f"{ph['in']} [{terr['name'][lang]}](@/territories/{terr['id']}).")
            out.append(f"## {h[3]}")
            names = []
            for s in p["partners"]:
                pt = partners[int(s.split("-")[1])]
                names.append(f"[{pt['text'].get(lang, pt['text'][langs[0]])['name']}](@/partners/{s})")
            line = ", ".join(names) + f". {ph['coord']} {surnames[coordinator]}."
            if links:
                line += f" {ph['see']}: " + ", ".join(
                    f"[{title_in(practices[j], lang)}](@/practices/{practices[j]['slug']})" for j in links) + "."
            out.append(line)
            p["text"][lang] = {"title": title_in(p, lang), "summary": text.render(lang, summary),
                               "body": "\n\n".join(out) + "\n"}
    for p in practices:
        del p["tokens"]

    pages = []
    for slug, menu, titles in PAGES:
        prnd = random.Random(f"{seed}-page-{slug}")
        paras = [text.paragraph(prnd, [0]) for _ in range(3)]
        pages.append({"slug": slug, "menu": menu, "text": {
            l: {"title": titles[li[l]], "body": "\n\n".join(text.para(l, x) for x in paras) + "\n"} for l in langs}})

    # The queries: common words of the family vocabulary, a title head, a place, a rare
    # surname; each in the default language.
    rare = min((c, k) for k, c in coordinated.items() if c >= 2) if any(c >= 2 for c in coordinated.values()) \
        else (1, next(iter(coordinated)))
    l0 = langs[0]
    queries = {
        "common": FORMS[l0]["social"][0], "title": FORMS[l0]["cooperation"][0], "theme": FORMS[l0]["health"][0],
        "place": places[0], "rare": surnames[rare[1]],
    }
    return {"langs": langs, "territories": territories, "borders": borders, "observations": observations,
            "partners": partners, "practices": practices, "pages": pages, "queries": queries,
            "rare_mentions": rare[0]}


def fallback_chain(langs: list[str], lang: str) -> list[str]:
    """The languages a reader of `lang` sees a missing text in, in order (both sites)."""
    return [l for l in langs if l != lang]


def shown_in(record: dict, langs: list[str], lang: str) -> str:
    """The language whose text a reader of `lang` sees."""
    if lang in record["text"]:
        return lang
    return next(l for l in fallback_chain(langs, lang) if l in record["text"])


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------

class Writer:
    def __init__(self, root: Path):
        self.root = root
        self.files = 0

    def __call__(self, rel: str, text: str):
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        self.files += 1


def labels(row, langs, offset=1):
    return {l: row[offset + LANG_POOL.index(l)] for l in langs}


def inline(d: dict) -> str:
    return "{ " + ", ".join(f"{k} = {q(v)}" for k, v in d.items()) + " }"


def write_limes(site: dict, root: Path) -> int:
    langs = site["langs"]
    w = Writer(root)
    titles, descs = TITLES, DESCRIPTIONS
    fallback = ", ".join(f"{l} = [{', '.join(q(x) for x in fallback_chain(langs, l))}]" for l in langs)
    w("observatory.toml",
      f"title = {inline({l: titles[l] for l in langs})}\n"
      f"description = {inline({l: descs[l] for l in langs})}\n"
      f'base_url = "https://bench.example.org/"\ndefault_language = "{langs[0]}"\n'
      f"languages = [{', '.join(q(l) for l in langs)}]\n"
      f'theme = "default"\nfallback = {{ {fallback} }}\n\n[markdown]\nraw_html = "escape"\n')

    v = []
    for table, rows in (("themes", [(t[0], *t[2:]) for t in THEMES]), ("target_groups", TARGET_GROUPS),
                        ("partner_kinds", KINDS)):
        for row in rows:
            v.append(f"[{table}.{row[0]}]\n" + "".join(f"{l} = {q(x)}\n" for l, x in labels(row, langs).items()))
    w("content/vocabularies.toml", "\n".join(v))

    t = [f"[levels.{row[0]}]\n" + "".join(f"{l} = {q(x)}\n" for l, x in labels(row, langs).items()) for row in LEVELS]
    for tr in site["territories"]:
        t.append(f'[[territory]]\nid = "{tr["id"]}"\nname = {inline({l: tr["name"][l] for l in langs})}\n'
                 f'country = "{tr["country"]}"\nlevel = "{tr["level"]}"\n')
    w("content/diagnostics/territories.toml", "\n".join(t))
    ind = []
    for iid, unit, dec, better, names, _ in INDICATORS:
        ind.append(f'[[indicator]]\nid = "{iid}"\nname = {inline({l: names[LANG_POOL.index(l)] for l in langs})}\n'
                   f'unit = {q(unit)}\ndecimals = {dec}\nbetter = "{better}"\nsource = "Generated for the benchmark"\n')
    w("content/diagnostics/indicators.toml", "\n".join(ind))
    w("content/diagnostics/borders.toml", "\n".join(
        f'[[border]]\nid = "{b["id"]}"\nname = {inline({l: b["name"][l] for l in langs})}\n'
        f"sides = [{', '.join('[' + ', '.join(q(x) for x in side) + ']' for side in b['sides'])}]\n"
        for b in site["borders"]))
    for name, rows in site["observations"].items():
        w(f"content/diagnostics/{name}.csv", "territory,indicator,year,value,note\n"
          + "".join(f"{a},{b},{c},{d},{e}\n" for a, b, c, d, e in rows))

    for p in site["partners"]:
        first = True
        for lang, tx in p["text"].items():
            facts = (f'kind = "{p["kind"]}"\ncountry = "{p["country"]}"\nterritory = "{p["territory"]}"\n'
                     f'city = {q(p["city"])}\nwebsite = {q(p["website"])}\n') if first else ""
            w(f"content/partners/{p['slug']}/index.{lang}.md", f"+++\nname = {q(tx['name'])}\n{facts}+++\n{tx['body']}\n")
            first = False
    for p in site["practices"]:
        first = True
        for lang, tx in p["text"].items():
            fm = [f"title = {q(tx['title'])}", f"summary = {q(tx['summary'])}"]
            if first:
                fm += [f'status = "{p["status"]}"', f"start = {p['start']}"]
                if p["end"]:
                    fm.append(f"end = {p['end']}")
                fm += [f"countries = [{', '.join(q(x) for x in p['countries'])}]",
                       f"territories = [{', '.join(q(x) for x in p['territories'])}]"]
                if p["border"]:
                    fm.append(f'border = "{p["border"]}"')
                fm += [f"themes = [{', '.join(q(x) for x in p['themes'])}]",
                       f"target_groups = [{', '.join(q(x) for x in p['target_groups'])}]",
                       f"partners = [{', '.join(q(x) for x in p['partners'])}]",
                       f'budget = {{ amount = {p["budget"]}, currency = "EUR" }}',
                       f'transferability = "{p["transferability"]}"']
            if p["website"] and first:
                fm.append(f"website = {q(p['website'])}")
            ph = PHRASES[lang]
            fm += ["", "[[results]]", f"label = {q(ph['reached'])}", f"value = {p['reached']}", f'unit = "people"',
                   "", "[[results]]", f"label = {q(ph['sessions'])}", f"value = {p['sessions']}"]
            w(f"content/practices/{p['slug']}/index.{lang}.md", "+++\n" + "\n".join(fm) + f"\n+++\n{tx['body']}")
            first = False
    for pg in site["pages"]:
        for lang, tx in pg["text"].items():
            w(f"content/pages/{pg['slug']}/index.{lang}.md",
              f"+++\ntitle = {q(tx['title'])}\nmenu = {pg['menu']}\n+++\n{tx['body']}")

    for d in ("themes",):
        shutil.copytree(REPO / d, root / d, dirs_exist_ok=True)
    for lang in langs:
        (root / "i18n").mkdir(exist_ok=True)
        shutil.copy(REPO / "i18n" / f"{lang}.toml", root / "i18n" / f"{lang}.toml")
    return w.files


def write_hugo(site: dict, root: Path) -> int:
    """The same records as a Hugo site: content/<lang>/..., the templates of bench/hugo/."""
    langs = site["langs"]
    w = Writer(root)
    strings = {l: tomllib.loads((REPO / "i18n" / f"{l}.toml").read_text(encoding="utf-8")) for l in langs}
    shutil.copytree(HERE / "hugo", root, dirs_exist_ok=True)  # hugo.toml head, layouts/
    # The stylesheet is limes's default theme's, so that pages weigh the same.
    (root / "static" / "css").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "themes" / "default" / "static" / "css" / "site.css", root / "static" / "css" / "site.css")

    config = [f'defaultContentLanguage = "{langs[0]}"', (root / "hugo.toml").read_text(encoding="utf-8"),
              "[languages]"]
    for k, lang in enumerate(langs):
        config += [f"  [languages.{lang}]", f"    title = {q(TITLES[lang])}", f"    weight = {k + 1}",
                   f'    contentDir = "content/{lang}"', f"    [languages.{lang}.params]",
                   f"      description = {q(DESCRIPTIONS[lang])}"]
    (root / "hugo.toml").write_text("\n".join(config) + "\n", encoding="utf-8")
    w("data/langs.json", json.dumps({l: strings[l]["language_name"] for l in langs}, ensure_ascii=False))

    # Interface strings: the plain ones of limes's files, under the same keys.
    for lang in langs:
        lines = [f"{k} = {q(v)}" for k, v in strings[lang].items() if isinstance(v, str)]
        for k, v in strings[lang].items():
            if isinstance(v, dict) and k != "countries" and all(isinstance(x, str) for x in v.values()):
                lines.append(f"[{k}]\n" + "".join(f"{form} = {q(x.replace('{n}', '{{ .Count }}'))}\n"
                                                    for form, x in v.items()))
        w(f"i18n/{lang}.toml", "\n".join(lines) + "\n")

    # Statistics: the same CSV files, read by the templates with transform.Unmarshal.
    for name, rows in site["observations"].items():
        w(f"assets/diagnostics/{name}.csv", "territory,indicator,year,value,note\n"
          + "".join(f"{a},{b},{c},{d},{e}\n" for a, b, c, d, e in rows))
    meta = {
        "indicators": [{"id": i[0], "unit": i[1], "decimals": i[2], "better": i[3],
                        "name": {l: i[4][LANG_POOL.index(l)] for l in langs}} for i in INDICATORS],
        "borders": site["borders"],
    }
    w("data/diagnostics.json", json.dumps(meta, ensure_ascii=False, indent=1))

    def term_pages(section, rows, extra=lambda row, lang: []):
        for lang in langs:
            key = {"target-groups": "target_groups", "countries": "countries_label"}.get(section, section)
            w(f"content/{lang}/{section}/_index.md", f"+++\ntitle = {q(strings[lang][key])}\n+++\n")
            for row in rows:
                title = row[1][lang]
                fm = [f"title = {q(title)}", *extra(row, lang)]
                w(f"content/{lang}/{section}/{row[0].lower()}/_index.md", "+++\n" + "\n".join(fm) + "\n+++\n")

    term_pages("themes", [(t[0], labels((t[0], *t[2:]), langs)) for t in THEMES])
    term_pages("target-groups", [(t[0], labels(t, langs)) for t in TARGET_GROUPS])
    term_pages("countries", [(c, {l: strings[l]["countries"][c] for l in langs}) for c in COUNTRIES])
    term_pages("status", [(s, {l: strings[l].get(f"status_{s}", s) for l in langs})
                          for s in ("planned", "ongoing", "completed")])
    level_label = {row[0]: labels(row, langs) for row in LEVELS}
    term_pages("territories", [(t["id"], t["name"]) for t in site["territories"]],
               lambda row, lang: [f'id = "{row[0]}"',
                                  f'country = "{next(t["country"] for t in site["territories"] if t["id"] == row[0])}"',
                                  f"level = {q(level_label[next(t['level'] for t in site['territories'] if t['id'] == row[0])][lang])}"])
    term_pages("borders", [(b["id"], b["name"]) for b in site["borders"]], lambda row, lang: [f'id = "{row[0]}"'])
    kind_label = {row[0]: labels(row, langs) for row in KINDS}

    # Partners are the term pages of the taxonomy `partners`: each lists the practices
    # that name it, as limes's partner pages do.
    for p in site["partners"]:
        for lang in langs:
            src = shown_in(p, langs, lang)
            tx = p["text"][src]
            fm = [f"title = {q(tx['name'])}", f"kind = {q(kind_label[p['kind']][lang])}", f'country = "{p["country"]}"',
                  f'territory = "{p["territory"]}"', f"city = {q(p['city'])}", f"website = {q(p['website'])}"]
            if src != lang:
                # shown from another language: as limes, not offered to search engines
                fm += [f'content_lang = "{src}"', "[sitemap]", "disable = true"]
            w(f"content/{lang}/partners/{p['slug']}/_index.md", "+++\n" + "\n".join(fm) + f"\n+++\n{tx['body']}\n")
    for lang in langs:
        w(f"content/{lang}/partners/_index.md", f"+++\ntitle = {q(strings[lang].get('partners', 'Partners'))}\n+++\n")
        w(f"content/{lang}/practices/_index.md", f"+++\ntitle = {q(strings[lang].get('practices', 'Practices'))}\n+++\n")
        w(f"content/{lang}/search.md", f"+++\ntitle = {q(strings[lang].get('search', 'Search'))}\n"
          f'layout = "search"\nurl = "/{lang}/search/"\n+++\n')
        w(f"content/{lang}/_index.md", f"+++\ntitle = {q(TITLES[lang])}\n+++\n")
    for p in site["practices"]:
        for lang in langs:
            src = shown_in(p, langs, lang)
            tx = p["text"][src]
            ph = PHRASES[src]
            fm = [f"title = {q(tx['title'])}", f"summary = {q(tx['summary'])}", f"date = {p['start']}",
                  f'status = ["{p["status"]}"]', f"start = {p['start']}"]
            if p["end"]:
                fm.append(f"end = {p['end']}")
            fm += [f"countries = [{', '.join(q(x) for x in p['countries'])}]",
                   f"territories = [{', '.join(q(x) for x in p['territories'])}]"]
            if p["border"]:
                fm.append(f'borders = ["{p["border"]}"]')
            fm += [f"themes = [{', '.join(q(x) for x in p['themes'])}]",
                   f"target-groups = [{', '.join(q(x) for x in p['target_groups'])}]",
                   f"partners = [{', '.join(q(x) for x in p['partners'])}]",
                   f"budget = {p['budget']}", f'transferability = "{p["transferability"]}"']
            if p["website"]:
                fm.append(f"website = {q(p['website'])}")
            fm.append(f"results = [{{ label = {q(ph['reached'])}, value = {p['reached']}, unit = \"people\" }}, "
                      f"{{ label = {q(ph['sessions'])}, value = {p['sessions']} }}]")
            if src != lang:
                fm += [f'content_lang = "{src}"', "[sitemap]", "disable = true"]
            w(f"content/{lang}/practices/{p['slug']}.md", "+++\n" + "\n".join(fm) + f"\n+++\n{tx['body']}")
    for lang in langs:
        w(f"content/{lang}/indicators/_index.md", f"+++\ntitle = {q(strings[lang].get('indicators', 'Indicators'))}\n+++\n")
        for ind in meta["indicators"]:
            w(f"content/{lang}/indicators/{ind['id']}.md", f"+++\ntitle = {q(ind['name'][lang])}\nid = \"{ind['id']}\"\n+++\n")
    for pg in site["pages"]:
        for lang, tx in pg["text"].items():
            w(f"content/{lang}/{pg['slug']}.md",
              f"+++\ntitle = {q(tx['title'])}\n[menus.main]\nweight = {pg['menu']}\n+++\n{tx['body']}")
    return w.files


# ---------------------------------------------------------------------------------------

def fingerprint() -> str:
    """What the generated sites depend on besides the arguments: this script, the Hugo
    templates, and the theme and strings copied from the repository."""
    h = hashlib.sha256()
    files = [Path(__file__).resolve(), *sorted((HERE / "hugo").rglob("*")), *sorted((REPO / "themes").rglob("*")),
             *sorted((REPO / "i18n").glob("*.toml"))]
    for f in files:
        if f.is_file():
            h.update(str(f.relative_to(REPO)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def generate(out: Path, n: int, nlangs: int, seed: int) -> dict:
    langs = LANG_POOL[:nlangs]
    for d in ("limes", "hugo"):
        shutil.rmtree(out / d, ignore_errors=True)
    site = make_records(n, langs, seed)
    limes_files = write_limes(site, out / "limes")
    hugo_files = write_hugo(site, out / "hugo")
    translations = sum(len(p["text"]) for p in site["practices"])
    facts = {
        "practices": n, "langs": langs, "seed": seed, "generator": GENERATOR_VERSION, "fingerprint": fingerprint(),
        "partners": len(site["partners"]), "territories": len(site["territories"]), "borders": len(site["borders"]),
        "observations": sum(len(v) for v in site["observations"].values()),
        "practice_translations": translations, "practice_pages_per_lang": n,
        "limes_source_files": limes_files, "hugo_source_files": hugo_files,
        "queries": site["queries"], "rare_mentions": site["rare_mentions"],
    }
    (out / "facts.json").write_text(json.dumps(facts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return facts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--practices", type=int, default=1000)
    ap.add_argument("--langs", type=int, default=3, choices=range(3, 6))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.practices < 20:
        ap.error("--practices must be at least 20")
    facts = generate(a.out, a.practices, a.langs, a.seed)
    print(json.dumps(facts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
