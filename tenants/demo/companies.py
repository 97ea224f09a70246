"""Demo companies: about thirty per operating site, across sectors and programs.

Each has a founder, company admin, at ``founder@<slug>.test``; two of them are
listed in the README: Atlas Games (a video-game studio at Essaouira) and Argan
Analytics (a data startup at Casablanca).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils.text import slugify

from sites.models import Site, SiteStatus
from technopark.demo import DemoContext
from tenants.models import (
    Company,
    CompanyRole,
    CompanyStatus,
    LegalForm,
    Membership,
    Program,
    Sector,
    Stage,
)

PER_SITE = 30

#: Companies every demo has, with the founders the README lists.
FEATURED = [
    {
        "site": "essaouira",
        "legal_name": "Atlas Games SARL",
        "legal_form": LegalForm.SARL,
        "trade_name": "Atlas Games",
        "sector": Sector.VIDEO_GAMES,
        "stage": Stage.STARTUP,
        "program": Program.START,
        "founder": ("Yasmine Alaoui", "founder@atlas-games.test"),
        "description": (
            "Studio de jeux vidéo indépendant installé au Technopark d'Essaouira : jeux mobiles "
            "inspirés du patrimoine gnaoua et de la côte atlantique."
        ),
    },
    {
        "site": "casablanca",
        "legal_name": "Argan Analytics SA",
        "legal_form": LegalForm.SA,
        "trade_name": "Argan Analytics",
        "sector": Sector.DIGITAL,
        "stage": Stage.STARTUP,
        "program": Program.ACCELERATE,
        "founder": ("Omar Benjelloun", "founder@argan-analytics.test"),
        "description": (
            "Plateforme de données pour les coopératives agricoles : prévisions de récolte, "
            "traçabilité de l'huile d'argan et tableaux de bord pour les exportateurs."
        ),
    },
]

FIRST_NAMES = [
    "Amine", "Salma", "Youssef", "Imane", "Mehdi", "Kenza", "Hamza", "Sara", "Reda", "Nour",
    "Anas", "Lina", "Ayoub", "Hiba", "Karim", "Zineb", "Ilyas", "Meryem", "Othmane", "Aya",
    "Soufiane", "Ghita", "Adil", "Rania", "Tarik", "Houda", "Nabil", "Fatima Zahra", "Badr",
    "Chaimae",
]  # fmt: skip
LAST_NAMES = [
    "El Amrani", "Bennani", "Tazi", "Berrada", "Chraibi", "Idrissi", "Ouazzani", "Lahlou",
    "Benkirane", "Fassi", "Alami", "Sebti", "Kettani", "Naciri", "Zniber", "Belhaj", "Haddad",
    "Ait Taleb", "Amazigh", "Ouali",
]  # fmt: skip

NAMES_BY_SECTOR = {
    Sector.DIGITAL: [
        "Dataroute",
        "Souk Cloud",
        "Medina Pay",
        "Atlas Code",
        "Nomad Stack",
        "Sahara Labs",
        "Tadelakt Tech",
        "Zellige Soft",
        "Darija AI",
        "Rif Systems",
        "Kasbah Data",
        "Oasis Cyber",
        "Menara Apps",
        "Riad Digital",
    ],  # fmt: skip
    Sector.GREEN_TECH: [
        "Noor Solar",
        "Argan Energy",
        "Aqua Sahel",
        "Green Medina",
        "Chergui Wind",
        "Oued Recycle",
        "Palmeraie Agritech",
    ],  # fmt: skip
    Sector.CULTURAL_CREATIVE: [
        "Gnaoua Studio",
        "Mogador Films",
        "Tifinagh Design",
        "Halqa Media",
        "Caftan Lab",
        "Mellah Editions",
        "Jemaa Sound",
    ],  # fmt: skip
    Sector.VIDEO_GAMES: [
        "Dune Pixel",
        "Sirocco Games",
        "Corsair Bay Games",
        "Fennec Interactive",
        "Souira Play",
        "Alizé Studio",
        "Mirage Arcade",
    ],  # fmt: skip
    Sector.OTHER: ["Tiwizi Conseil", "Baraka Logistics", "Kounouz Services", "Sawt Events"],
}
DESCRIPTIONS = {
    Sector.DIGITAL: "Logiciels et services numériques pour les entreprises marocaines.",
    Sector.GREEN_TECH: "Solutions pour l'énergie propre, l'eau et l'agriculture durable.",
    Sector.CULTURAL_CREATIVE: "Création de contenus, design et production audiovisuelle.",
    Sector.VIDEO_GAMES: "Développement de jeux vidéo pour mobile, PC et consoles.",
    Sector.OTHER: "Services aux entreprises de l'écosystème Technopark.",
}


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    """About thirty companies at each operating site; nothing when already there."""
    sites = list(Site.objects.filter(status=SiteStatus.OPERATING).order_by("name"))
    created = 0
    used = {spec["trade_name"] for spec in FEATURED}  # names are unique network-wide
    for site_number, site in enumerate(sites, start=1):
        specs = [spec for spec in FEATURED if spec["site"] == site.slug]
        specs += _generated(ctx, site, count=PER_SITE - len(specs), used=used)
        for index, spec in enumerate(specs):
            created += _company(ctx, site, site_number, index, spec)
    ctx.say(f"Companies: {created} created.")
    for spec in FEATURED:
        email = spec["founder"][1]
        ctx.accounts.listed.append(
            (email, f"company admin of {spec['trade_name']} at {spec['site'].title()}: /portal/")
        )


def _generated(ctx: DemoContext, site: Site, *, count: int, used: set[str]) -> list[dict]:
    # A generator per site, so a re-run draws the same names whatever exists already.
    rng = random.Random(f"{site.slug}:names")  # noqa: S311
    weights = {
        Sector.DIGITAL: 45,
        Sector.GREEN_TECH: 15,
        Sector.CULTURAL_CREATIVE: 15,
        Sector.VIDEO_GAMES: 30 if site.slug == "essaouira" else 12,
        Sector.OTHER: 8,
    }
    specs = []
    while len(specs) < count:
        sector = rng.choices(list(weights), weights=list(weights.values()))[0]
        base = rng.choice(NAMES_BY_SECTOR[sector])
        name = f"{base} {site.city}" if base in used else base
        if name in used:
            continue
        used.add(name)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        legal_form = rng.choice(
            [LegalForm.SARL, LegalForm.SARL, LegalForm.SARL_AU, LegalForm.SA, LegalForm.SAS]
        )
        specs.append(
            {
                "legal_name": f"{name} {legal_form.label}",
                "legal_form": legal_form,
                "trade_name": name,
                "sector": sector,
                "stage": rng.choices(
                    [Stage.PROJECT, Stage.STARTUP, Stage.SME, Stage.LARGE], weights=[5, 70, 20, 5]
                )[0],
                "program": rng.choice(list(Program)),
                "founder": (f"{first} {last}", f"founder@{slugify(name)}.test"),
                "description": DESCRIPTIONS[sector],
            }
        )
    return specs


def _company(ctx: DemoContext, site: Site, site_number: int, index: int, spec: dict) -> int:
    rng = random.Random(f"{site.slug}:{index}")  # noqa: S311 (each company its own draws)
    ice = f"{site_number:03d}{index + 1:06d}{rng.randrange(10**6):06d}"
    if Company.objects.filter(home_site=site, legal_name=spec["legal_name"]).exists():
        return 0
    # Most are residents; a few apply, a few have left.
    status = (
        CompanyStatus.APPLICANT
        if index >= PER_SITE - 4
        else CompanyStatus.ALUMNI
        if index >= PER_SITE - 6
        else CompanyStatus.RESIDENT
    )
    if spec in FEATURED:
        status = CompanyStatus.RESIDENT
    founded = ctx.today - dt.timedelta(days=rng.randrange(200, 3000))
    program_start = founded + dt.timedelta(days=rng.randrange(30, 180))
    registered = status != CompanyStatus.APPLICANT or index % 2 == 0
    company = Company.objects.create(
        legal_name=spec["legal_name"],
        trade_name=spec["trade_name"],
        legal_form=spec["legal_form"],
        ice=ice if registered else None,
        rc_number=str(rng.randrange(10_000, 999_999)) if registered else "",
        rc_court=site.city if registered else "",
        tax_id=str(rng.randrange(10_000_000, 99_999_999)) if registered else "",
        sector=spec["sector"],
        stage=spec["stage"],
        program=spec["program"],
        program_start=program_start if spec["program"] != Program.HOSTING else None,
        program_end=(
            program_start + dt.timedelta(days=rng.choice([183, 365]))
            if spec["program"] != Program.HOSTING
            else None
        ),
        founded_on=founded,
        website=f"https://www.{slugify(spec['trade_name'])}.ma",
        description=spec["description"],
        home_site=site,
        status=status,
        public_profile=status != CompanyStatus.APPLICANT and rng.random() < 0.75,
    )
    name, email = spec["founder"]
    founder = ctx.accounts.get(email, name)
    Membership.objects.get_or_create(
        company=company, user=founder, defaults={"role": CompanyRole.ADMIN}
    )
    for _ in range(rng.choice([0, 1, 1, 2])):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        member = ctx.accounts.get(
            f"{slugify(first)}.{slugify(last)}@{email.split('@')[1]}", f"{first} {last}"
        )
        Membership.objects.get_or_create(
            company=company, user=member, defaults={"role": CompanyRole.MEMBER}
        )
    return 1
