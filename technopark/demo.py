"""Demo people: one account per role, password ``technopark-demo``.

Each app adds its own demo data in ``<app>/demo.py``; ``manage.py demo`` runs
them in dependency order. Everything is created only when missing, so a re-run
keeps what is there.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from sites.models import Site, StaffAssignment, StaffRole
from technopark.models import User

DEMO_PASSWORD = "technopark-demo"  # noqa: S105 (published in the README on purpose)


class Accounts:
    """Creates demo users, hashing the shared password once (Argon2 is slow on purpose)."""

    def __init__(self):
        self._hash = None
        self.listed: list[tuple[str, str]] = []

    def get(self, email: str, full_name: str, *, describe: str | None = None, **fields) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            if self._hash is None:
                self._hash = make_password(DEMO_PASSWORD)
            user = User.objects.create(
                email=email, full_name=full_name, password=self._hash, **fields
            )
        if describe:
            self.listed.append((email, describe))
        return user


@transaction.atomic
def seed_people(accounts: Accounts) -> None:
    """The network's demo staff: a network manager, two site managers, a superuser."""
    accounts.get(
        "manager@technopark.test",
        "Salma Bennani",
        is_network_manager=True,
        describe="network manager (MITC management): /network/",
    )
    for slug, email, name in [
        ("essaouira", "staff-essaouira@technopark.test", "Youssef Amrani"),
        ("rabat", "staff-rabat@technopark.test", "Nadia El Idrissi"),
    ]:
        user = accounts.get(email, name, describe=f"site manager at {slug.title()}: /admin/")
        StaffAssignment.objects.get_or_create(
            site=Site.objects.get(slug=slug),
            user=user,
            defaults={"role": StaffRole.SITE_MANAGER},
        )
    accounts.get(
        "admin@technopark.test",
        "Administrateur",
        is_superuser=True,
        describe="superuser: /admin/",
    )
