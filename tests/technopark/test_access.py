"""The access gate's rules, one role at a time."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from sites.models import Site, Space
from technopark import access
from tenants.models import Company
from tests.factories import StaffAssignmentFactory
from tests.queries import counting_queries

pytestmark = pytest.mark.django_db


def test_site_staff_see_their_sites_rows_only(site, space, other_space, site_staff):
    assert list(access.scope(Space.objects.all(), site_staff)) == [space]
    assert list(access.scope(Site.objects.all(), site_staff)) == [site]


def test_network_managers_read_everything_but_change_nothing(space, other_space, network_manager):
    spaces = Space.objects.order_by("pk")
    assert list(access.scope(spaces, network_manager)) == [space, other_space]
    assert list(access.scope(spaces, network_manager, "sites.change_space")) == []


def test_superusers_see_and_change_everything(space, other_space, superuser):
    assert access.scope(Space.objects.all(), superuser, "sites.delete_space").count() == 2


def test_tenant_users_see_their_company_only(company, other_company, tenant_member):
    assert list(access.scope(Company.objects.all(), tenant_member)) == [company]
    assert list(access.scope(Space.objects.all(), tenant_member)) == []


def test_a_company_member_cannot_change_the_company(company, tenant_member, tenant_admin):
    assert not access.allows(tenant_member, "tenants.change_company", company)
    assert access.allows(tenant_admin, "tenants.change_company", company)


def test_a_role_on_the_row_itself_is_decided_without_a_query(
    company, other_company, tenant_admin, site, other_site, site_staff
):
    """A company admin on their company, a site manager on their site: the role names the
    row's own id. Any other row is asked of the database, by the same scope."""
    for person, row, other, perm in (
        (tenant_admin, company, other_company, "tenants.change_company"),
        (site_staff, site, other_site, "sites.change_site"),
    ):
        access.forget(person)
        person.has_perm(perm)  # roles and permissions read once, as a request does
        with counting_queries() as queries:
            assert access.allows(person, perm, row)
        assert len(queries) == 0
        with counting_queries() as queries:
            assert not access.allows(person, perm, other)
        assert len(queries) == 1


def test_anonymous_visitors_see_nothing_through_the_gate(space):
    from django.contrib.auth.models import AnonymousUser

    assert list(access.scope(Space.objects.all(), AnonymousUser())) == []


def test_a_role_grants_only_its_permissions_at_its_site(site, other_site, space, other_space):
    # Manager at one site, front desk at the other: may change only the first site's spaces.
    person = StaffAssignmentFactory(site=site).user
    StaffAssignmentFactory(site=other_site, user=person, role="front_desk")
    assert access.scope(Space.objects.all(), person).count() == 2
    assert list(access.scope(Space.objects.all(), person, "sites.change_space")) == [space]


def test_inactive_people_lose_every_right(space, site_staff):
    site_staff.is_active = False
    site_staff.save()
    access.forget(site_staff)
    assert list(access.scope(Space.objects.all(), site_staff)) == []


def test_out_of_scope_is_404(space, other_site_staff):
    with pytest.raises(Http404):
        access.get_object_or_404(Space.objects.all(), other_site_staff, pk=space.pk)


def test_a_model_without_a_scope_is_refused():
    from django.contrib.contenttypes.models import ContentType

    with pytest.raises(ImproperlyConfigured):
        access.scope(ContentType.objects.all(), None)


def test_the_roles_are_read_in_two_queries_per_request(site_staff):
    access.forget(site_staff)
    with counting_queries() as counted:
        for _ in range(3):
            access.site_ids(site_staff, "sites.view_space")
            access.company_ids(site_staff, "tenants.view_company")
    assert len(counted) == 2


def test_an_owner_without_any_role_is_allowed_on_what_they_own(db):
    from technopark.models import User
    from tests.factories import UserFactory

    person = UserFactory()
    # A person may read their own account through the owner rule, and no one else's.
    assert access.allows(person, "technopark.view_user", person)
    assert not access.allows(person, "technopark.view_user", UserFactory())
    assert not access.allows(person, "technopark.change_user", User.objects.get(pk=person.pk))
