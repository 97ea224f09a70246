"""The Technopark network as the public record describes it (shared/DOMAIN.md).

Texts are in French, the network's working language; staff edit them as data.

This is seed data, not a rule: ``network_load`` creates what is missing and
never overwrites a figure that staff have since corrected in the admin. Where
sources disagree, the description says so and the field holds the figure of
the founding article.
"""

import datetime

from django.db import transaction

from sites.models import Site, SiteStatus, Space, SpaceKind

SEED_ARTICLE = "Article de presse sur l'ouverture d'Essaouira, juillet 2023"

SITES = [
    {
        "slug": "casablanca",
        "name": "Technopark Casablanca",
        "city": "Casablanca",
        "region": "Casablanca-Settat",
        "status": SiteStatus.OPERATING,
        "opening_year": 2001,
        "description": (
            "Premier Technopark et vaisseau amiral du réseau : bâtiment inauguré en 2000, "
            "en activité depuis 2001."
        ),
        "sources": SEED_ARTICLE,
        "spaces": [],
    },
    {
        "slug": "rabat",
        "name": "Technopark Rabat",
        "city": "Rabat",
        "region": "Rabat-Salé-Kénitra",
        "status": SiteStatus.OPERATING,
        "opening_year": 2012,
        "sources": SEED_ARTICLE,
        "spaces": [],
    },
    {
        "slug": "tanger",
        "name": "Technopark Tanger",
        "city": "Tanger",
        "region": "Tanger-Tétouan-Al Hoceïma",
        "status": SiteStatus.OPERATING,
        "opening_year": 2015,
        "sources": SEED_ARTICLE,
        "spaces": [],
    },
    {
        "slug": "agadir",
        "name": "Technopark Agadir",
        "city": "Agadir",
        "region": "Souss-Massa",
        "status": SiteStatus.OPERATING,
        "opening_year": 2021,
        "usable_area_m2": 10_000,
        "capacity_companies": 100,
        "description": (
            "Environ 10 000 m² et une centaine d'unités, six salles de formation, une crèche "
            "et un espace de conférence de 800 places."
        ),
        "sources": "challenge.ma",
        "spaces": [
            {"kind": SpaceKind.AGORA, "name": "Espace de conférence", "capacity": 800},
            *[
                {"kind": SpaceKind.TRAINING_ROOM, "name": f"Salle de formation {n}"}
                for n in range(1, 7)
            ],
        ],
    },
    {
        "slug": "essaouira",
        "name": "Technopark Essaouira",
        "city": "Essaouira",
        "region": "Marrakech-Safi",
        "status": SiteStatus.OPERATING,
        "opening_year": 2023,
        "usable_area_m2": 2_350,
        "capacity_companies": 40,
        "coworking_desks": 35,
        "description": (
            "Ouvert au 4e trimestre 2023 (environ 20 MDH investis) pour accueillir 40 TPE et "
            "startups. Un espace de coworking de 35 positions modulables pour les startups et les "
            "entrepreneurs nomades, une agora, une salle de formation, un espace de gaming "
            "pour les développeurs de jeux vidéo et un guichet unique pour les démarches "
            "administratives."
        ),
        "sources": (
            f"{SEED_ARTICLE}\nCapacité de 40 TPE et startups selon l'article fondateur ; "
            "la presse ultérieure parle de 60 ou 70+ entreprises."
        ),
        "spaces": [
            {"kind": SpaceKind.COWORKING, "name": "Coworking", "capacity": 35},
            {"kind": SpaceKind.AGORA, "name": "Agora"},
            {"kind": SpaceKind.TRAINING_ROOM, "name": "Salle de formation"},
            {"kind": SpaceKind.GAMING_ROOM, "name": "Espace gaming"},
            {"kind": SpaceKind.ONE_STOP_SHOP, "name": "Guichet unique"},
        ],
    },
    {
        "slug": "fes",
        "name": "Technopark Fès",
        "city": "Fès",
        "region": "Fès-Meknès",
        "status": SiteStatus.PLANNED,
        "usable_area_m2": 7_000,
        "capacity_companies": 66,
        "description": (
            "Annoncé dans le plan d'expansion 2024 : 7 000 m², 66 bureaux, coworking, "
            "espace de gaming et salle de sport."
        ),
        "sources": f"{SEED_ARTICLE}\nleseco.ma",
        "spaces": [
            {"kind": SpaceKind.COWORKING, "name": "Coworking"},
            {"kind": SpaceKind.GAMING_ROOM, "name": "Espace gaming"},
        ],
    },
    {
        "slug": "oujda",
        "name": "Technopark Oujda",
        "city": "Oujda",
        "region": "Oriental",
        "status": SiteStatus.PLANNED,
        "usable_area_m2": 4_000,
        "capacity_companies": 60,
        "description": (
            "Annoncé dans le plan d'expansion 2024 : environ 4 000 m² pour plus de 60 startups."
        ),
        "sources": f"{SEED_ARTICLE}\ntelquel, 2022-09",
        "spaces": [],
    },
    {
        "slug": "tiznit",
        "name": "Technopark Tiznit",
        "city": "Tiznit",
        "region": "Souss-Massa",
        "status": SiteStatus.PLANNED,
        "usable_area_m2": 1_500,
        "capacity_companies": 28,
        "planned_opening": datetime.date(2025, 12, 1),
        "description": (
            "Annoncé dans le plan d'expansion 2024 : environ 1 500 m² et 28 bureaux, "
            "ouverture prévue fin 2025."
        ),
        "sources": f"{SEED_ARTICLE}\nchallenge.ma",
        "spaces": [],
    },
]


@transaction.atomic
def network_load() -> tuple[int, int]:
    """Create the network's sites and known spaces that do not exist yet.

    Existing rows are left as they are, so staff corrections survive a re-run.
    Returns the number of sites and spaces created.
    """
    created_sites = created_spaces = 0
    for entry in SITES:
        fields = {k: v for k, v in entry.items() if k not in ("slug", "spaces")}
        site, created = Site.objects.get_or_create(slug=entry["slug"], defaults=fields)
        created_sites += created
        for space in entry["spaces"]:
            _, created = Space.objects.get_or_create(
                site=site,
                name=space["name"],
                defaults={"kind": space["kind"], "capacity": space.get("capacity")},
            )
            created_spaces += created
    return created_sites, created_spaces
