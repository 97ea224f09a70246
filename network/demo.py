"""The network's demo staff: a network manager, two site managers, a superuser."""

from django.db import transaction

from sites.models import Site, StaffAssignment, StaffRole
from technopark.demo import Accounts


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
