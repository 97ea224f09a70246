"""The team: invitations by signed single-use links, roles, departures, the last admin."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from technopark.models import User
from tenants.models import CompanyRole, Invitation, Membership
from tenants.services import team as team_services
from tests.clock import NOW, pinned
from tests.concurrency import run_concurrently
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
STRONG = "un mot de passe solide 2026"


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form; mail goes out when the transaction commits, as in production."""

    def send(client, email="nadia@example.ma", role="member"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("portal:team_invite"), {"email": email, "role": role})

    return send


def _link_path(message) -> str:
    line = next(line for line in message.body.splitlines() if "/portal/invitations/" in line)
    return "/" + line.split("://", 1)[1].split("/", 1)[1]


def test_an_admin_invites_and_the_newcomer_joins_with_a_new_account(invite, company, tenant_admin):
    assert invite(client_for(tenant_admin)).status_code == 302
    assert [m.to for m in mail.outbox] == [["nadia@example.ma"]]
    path = _link_path(mail.outbox[0])
    newcomer = Client()
    assert newcomer.get(path).status_code == 200
    response = newcomer.post(
        path, {"full_name": "Nadia Tazi", "password1": STRONG, "password2": STRONG}
    )
    assert response["Location"] == reverse("portal:home")
    membership = Membership.objects.get(user__email="nadia@example.ma")
    assert (membership.company, membership.role) == (company, CompanyRole.MEMBER)
    assert newcomer.get(reverse("portal:team")).status_code == 200


def test_an_invitation_link_works_once(invite, company, tenant_admin):
    invite(client_for(tenant_admin))
    path = _link_path(mail.outbox[0])
    Client().post(path, {"full_name": "Nadia", "password1": STRONG, "password2": STRONG})
    second = Client().post(path, {"full_name": "Eve", "password1": STRONG, "password2": STRONG})
    assert second.status_code == 404
    assert User.objects.filter(email="nadia@example.ma").count() == 1


@pinned  # a link expires by the clock
def test_an_altered_or_expired_or_withdrawn_link_is_refused(invite, company, tenant_admin):
    client = client_for(tenant_admin)
    invite(client)
    path = _link_path(mail.outbox[0])
    assert Client().get(path[:-3] + "xyz/").status_code == 404
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=NOW - dt.timedelta(minutes=1))
    assert Client().get(path).status_code == 404
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=NOW + dt.timedelta(days=1))
    client.post(reverse("portal:invitation_revoke", args=[invitation.pk]))
    assert Client().get(path).status_code == 404


def test_an_existing_account_logs_in_to_accept(invite, company, tenant_admin):
    person = UserFactory(email="nadia@example.ma")
    invite(client_for(tenant_admin))
    path = _link_path(mail.outbox[0])
    anonymous_page = Client().get(path)
    assert anonymous_page.context["existing"] is True
    Client().post(path, {"full_name": "Intruder", "password1": STRONG, "password2": STRONG})
    assert not Membership.objects.filter(user=person).exists()
    response = client_for(person).post(path)
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, company=company).exists()


def test_someone_else_logged_in_cannot_take_the_invitation(invite, company, tenant_admin):
    invite(client_for(tenant_admin))
    path = _link_path(mail.outbox[0])
    intruder = UserFactory(email="eve@example.ma")
    client_for(intruder).post(path)
    assert not Membership.objects.filter(user=intruder).exists()


def test_members_cannot_manage_the_team(invite, company, tenant_member, tenant_admin):
    client = client_for(tenant_member)
    assert invite(client).status_code == 404
    admin_membership = tenant_admin.memberships.get()
    response = client.post(
        reverse("portal:member_role", args=[admin_membership.pk]), {"role": "member"}
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("portal:member_remove", args=[admin_membership.pk])).status_code == 404
    )
    assert Membership.objects.get(pk=admin_membership.pk).role == CompanyRole.ADMIN


def test_a_member_may_leave(company, tenant_member, tenant_admin):
    membership = tenant_member.memberships.get()
    client_for(tenant_member).post(reverse("portal:member_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(company, tenant_admin):
    membership = tenant_admin.memberships.get()
    client = client_for(tenant_admin)
    client.post(reverse("portal:member_role", args=[membership.pk]), {"role": "member"})
    client.post(reverse("portal:member_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.role == CompanyRole.ADMIN


def test_an_admin_can_hand_over_then_step_down(company, tenant_admin, tenant_member):
    client = client_for(tenant_admin)
    member = tenant_member.memberships.get()
    client.post(reverse("portal:member_role", args=[member.pk]), {"role": "admin"})
    me = tenant_admin.memberships.get()
    client.post(reverse("portal:member_role", args=[me.pk]), {"role": "member"})
    assert Membership.objects.get(pk=member.pk).role == CompanyRole.ADMIN
    assert Membership.objects.get(pk=me.pk).role == CompanyRole.MEMBER


def test_another_companys_member_cannot_be_touched(company, other_company_user, tenant_admin):
    theirs = other_company_user.memberships.get()
    client = client_for(tenant_admin)
    assert client.post(reverse("portal:member_remove", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("portal:member_role", args=[theirs.pk]), {"role": "member"})
    assert response.status_code == 404
    assert Membership.objects.get(pk=theirs.pk).role == CompanyRole.ADMIN


def test_one_pending_invitation_per_address(invite, company, tenant_admin):
    client = client_for(tenant_admin)
    invite(client)
    invite(client)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(company):
    first = MembershipFactory(company=company, role=CompanyRole.ADMIN)
    second = MembershipFactory(company=company, role=CompanyRole.ADMIN)

    def demote(actor, target):
        return team_services.membership_change_role(
            membership=Membership.objects.get(pk=target.pk),
            actor=User.objects.get(pk=actor.user_id),
            role=CompanyRole.MEMBER,
        )

    outcomes = run_concurrently([lambda: demote(first, second), lambda: demote(second, first)])
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    assert Membership.objects.filter(company=company, role=CompanyRole.ADMIN).count() == 1
