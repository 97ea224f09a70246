"""The network's seed content in Arabic and English, beside the French of network.py.

``content_translate`` fills the Arabic and English texts of sites and spaces
that staff have left empty, from the French text they start from. It never
overwrites a text staff wrote, so a re-run keeps their corrections.
"""

import re

from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from sites.models import Site, Space

#: slug: {language: (name, description)}
SITES = {
    "casablanca": {
        "ar": (
            "تكنوبارك الدار البيضاء",
            "أول تكنوبارك ورائد الشبكة: مبنى دُشّن سنة 2000 ويشتغل منذ 2001.",
        ),
        "en": (
            "Technopark Casablanca",
            "The first Technopark and the network's flagship: a building opened in 2000, "
            "operating since 2001.",
        ),
    },
    "rabat": {
        "ar": ("تكنوبارك الرباط", "تكنوبارك العاصمة، في قلب منظومة المقاولات الناشئة بالرباط."),
        "en": ("Technopark Rabat", "The capital's Technopark, at the heart of Rabat's startups."),
    },
    "tanger": {
        "ar": ("تكنوبارك طنجة", "تكنوبارك الشمال، قريبًا من الميناء ومن أوروبا."),
        "en": ("Technopark Tanger", "The Technopark of the north, close to the port and Europe."),
    },
    "agadir": {
        "ar": ("تكنوبارك أكادير", "تكنوبارك جهة سوس ماسة، مع فضاء للمؤتمرات وقاعات للتكوين."),
        "en": (
            "Technopark Agadir",
            "The Technopark of Souss-Massa, with a conference hall and training rooms.",
        ),
    },
    "essaouira": {
        "ar": (
            "تكنوبارك الصويرة",
            "تكنوبارك مدينة الرياح، بفضاء للعمل المشترك وقاعة للألعاب الإلكترونية وشباك وحيد.",
        ),
        "en": (
            "Technopark Essaouira",
            "The Technopark of the windy city, with coworking, a gaming room and a one-stop shop.",
        ),
    },
    "fes": {
        "ar": ("تكنوبارك فاس", "تكنوبارك مبرمج بفاس، بفضاء للعمل المشترك وقاعة للألعاب."),
        "en": ("Technopark Fès", "A planned Technopark in Fès, with coworking and a gaming room."),
    },
    "oujda": {
        "ar": ("تكنوبارك وجدة", "تكنوبارك مبرمج بوجدة، لمقاولات الجهة الشرقية."),
        "en": ("Technopark Oujda", "A planned Technopark in Oujda, for the Oriental region."),
    },
    "tiznit": {
        "ar": ("تكنوبارك تيزنيت", "تكنوبارك مبرمج بتيزنيت، أعلن عنه في مخطط التوسع لسنة 2024."),
        "en": ("Technopark Tiznit", "A planned Technopark in Tiznit, announced in the 2024 plan."),
    },
}

#: French space name: {language: name}; "{n}" stands for a number or an office code.
SPACES = {
    "Coworking": {"ar": "فضاء العمل المشترك", "en": "Coworking"},
    "Agora": {"ar": "فضاء الأغورا", "en": "Agora"},
    "Espace de conférence": {"ar": "قاعة المؤتمرات", "en": "Conference hall"},
    "Salle de formation": {"ar": "قاعة التكوين", "en": "Training room"},
    "Salle de formation {n}": {"ar": "قاعة التكوين {n}", "en": "Training room {n}"},
    "Espace gaming": {"ar": "فضاء الألعاب الإلكترونية", "en": "Gaming room"},
    "Guichet unique": {"ar": "الشباك الوحيد", "en": "One-stop shop"},
    "Salle de réunion": {"ar": "قاعة الاجتماعات", "en": "Meeting room"},
    "Bureau {n}": {"ar": "المكتب {n}", "en": "Office {n}"},
}

#: French space description: {language: description}
SPACE_DESCRIPTIONS = {
    "Bureau équipé, climatisé, accès fibre.": {
        "ar": "مكتب مجهز ومكيف، مع ربط بالألياف البصرية.",
        "en": "Furnished, air-conditioned office with fibre access.",
    },
}


def _space_name(french: str, language: str) -> str:
    if french in SPACES:
        return SPACES[french][language]
    match = re.fullmatch(r"(.*\S) (\S*\d\S*)", french)
    if match and f"{match[1]} {{n}}" in SPACES:
        return SPACES[f"{match[1]} {{n}}"][language].format(n=match[2])
    return ""


@transaction.atomic
def content_translate() -> int:
    """Fill the empty Arabic and English texts of the sites and spaces; return how many rows."""
    changed = 0
    for site in Site.objects.filter(slug__in=SITES):
        fields = []
        for language, (name, description) in SITES[site.slug].items():
            for field, text in (("name", name), ("description", description)):
                attribute = f"{field}_{language}"
                if not getattr(site, attribute):
                    setattr(site, attribute, text)
                    fields.append(attribute)
        if fields:
            site.save(update_fields=fields)
            changed += 1
    for space in Space.objects.filter(name_ar__isnull=True) | Space.objects.filter(name_ar=""):
        fields = []
        french_name = getattr(space, build_localized_fieldname("name", "fr")) or ""
        french_description = getattr(space, build_localized_fieldname("description", "fr")) or ""
        for language in ("ar", "en"):
            name = _space_name(french_name, language)
            if name and not getattr(space, f"name_{language}"):
                setattr(space, f"name_{language}", name)
                fields.append(f"name_{language}")
            description = SPACE_DESCRIPTIONS.get(french_description, {}).get(language)
            if description and not getattr(space, f"description_{language}"):
                setattr(space, f"description_{language}", description)
                fields.append(f"description_{language}")
        if fields:
            space.save(update_fields=fields)
            changed += 1
    return changed
