"""The history pages of the admin show old versions; only those who may change a row revert it.

django-simple-history's ``history_form_view`` saves a POST for anyone who may
*view* the history. A read-only role (the network manager) made itself
superuser that way, and changed the rent tariff; an agent changed a site.
"""

import pytest
from django.urls import reverse

from sites.models import StaffRole
from tests.conftest import client_for
from tests.factories import StaffAssignmentFactory

pytestmark = pytest.mark.django_db


def _history_url(obj):
    meta = obj._meta
    version = obj.history.latest().history_id
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, version]
    )


def _user_form(user, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "is_active": "on",
        "is_network_manager": "on" if user.is_network_manager else "",
        "is_superuser": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_network_manager_cannot_make_itself_superuser_through_its_history(network_manager):
    client = client_for(network_manager)  # logging in records a version of the account
    before = network_manager.history.count()

    response = client.post(_history_url(network_manager), _user_form(network_manager))

    network_manager.refresh_from_db()
    assert response.status_code == 404
    assert network_manager.is_superuser is False
    assert network_manager.history.count() == before


def test_a_network_manager_cannot_change_the_rent_rate_through_its_history(network_manager):
    from tenants.models import RentRate

    rate = RentRate.objects.create(
        tier="startup", monthly_rate_per_m2=50, effective_from="2026-01-01"
    )
    before = (rate.monthly_rate_per_m2, rate.history.count())

    response = client_for(network_manager).post(
        _history_url(rate),
        {"tier": "startup", "monthly_rate_per_m2": "1", "effective_from": "2026-01-01"},
    )

    rate.refresh_from_db()
    assert response.status_code == 404
    assert (rate.monthly_rate_per_m2, rate.history.count()) == before


def test_an_agent_cannot_change_its_site_through_the_site_history(site):
    agent = StaffAssignmentFactory(site=site, role=StaffRole.ONE_STOP_SHOP_AGENT).user
    before = (site.name, site.history.count())

    response = client_for(agent).post(
        _history_url(site), {"name": "Renamed", "slug": site.slug, "city": site.city}
    )

    site.refresh_from_db()
    assert response.status_code == 404
    assert (site.name, site.history.count()) == before


def test_a_site_manager_sees_an_earlier_version_of_its_site_without_reverting_it(site, site_staff):
    """A revert would write back fields the form keeps read-only, past the services."""
    client = client_for(site_staff)
    before = (site.name, site.history.count())

    page = client.get(_history_url(site))
    response = client.post(
        _history_url(site), {"name": "Renamed", "slug": site.slug, "city": site.city}
    )

    site.refresh_from_db()
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert response.status_code == 404
    assert (site.name, site.history.count()) == before
