"""The public coworking sign-up page."""

import pytest
from django.core import mail
from django.urls import reverse

from coworking.models import (
    NomadProfile,
    NomadStatus,
    Pass,
    PassStatus,
)
from tests.clock import pinned
from tests.conftest import client_for
from tests.coworking.pages import next_monday
from tests.factories import UserFactory
from tests.factories.coworking import (
    NomadProfileFactory,
)

# The pages read the clock: every test here runs at the pinned moment.
pytestmark = [pytest.mark.django_db, pinned]


@pytest.fixture
def monday():
    return next_monday()


# --- Public sign-up ---------------------------------------------------------------------


def signup_data(day, **overrides):
    data = {
        "full_name": "Sara Martin",
        "email": "Sara.Martin@example.org",
        "password1": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
        "nationality": "Française",
        "document_kind": "passport",
        "document_number": "19 fr 12345",
        "company_name": "",
        "phone": "+33 6 00 00 00 00",
        "pass_kind": "week",
        "pass_start": day.isoformat(),
    }
    return data | overrides


def test_a_nomad_signs_up_with_a_pass_request_and_staff_are_told(
    site, make_desks, prices, site_staff, monday, django_capture_on_commit_callbacks
):
    make_desks(2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            reverse("coworking:join", args=[site.slug]), signup_data(monday)
        )
    assert response.status_code == 302
    profile = NomadProfile.objects.select_related("user").get()
    assert profile.user.email == "sara.martin@example.org"
    assert (profile.status, profile.document_number) == (NomadStatus.PENDING, "19FR12345")
    assert Pass.objects.get().status == PassStatus.REQUESTED
    assert mail.outbox[0].to == [site_staff.email]


def test_a_sign_up_with_an_address_that_has_an_account_answers_like_any_other(
    site, make_desks, monday, django_capture_on_commit_callbacks
):
    """The page never tells a visitor which addresses have accounts; their owner is told."""
    make_desks(1)
    owner = UserFactory(email="sara.martin@example.org")
    client = client_for(None)
    url = reverse("coworking:join", args=[site.slug])
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, signup_data(monday, pass_kind=""), follow=True)
    new = client.post(
        url,
        signup_data(monday, email="autre@example.org", document_number="19FR99999", pass_kind=""),
        follow=True,
    )
    assert known.redirect_chain == new.redirect_chain
    assert [str(m) for m in known.context["messages"]] == [str(m) for m in new.context["messages"]]
    assert not NomadProfile.objects.filter(user=owner).exists()
    assert mail.outbox[-1].to == [owner.email]
    assert reverse("coworking:join", args=[site.slug]) in mail.outbox[-1].body


def test_a_bad_cin_and_a_taken_document_are_form_errors_and_nothing_is_saved(
    site, make_desks, monday
):
    make_desks(1)
    NomadProfileFactory(site=site, document_kind="passport", document_number="19FR12345")
    client = client_for(None)
    url = reverse("coworking:join", args=[site.slug])
    bad_cin = client.post(
        url, signup_data(monday, document_kind="cin", document_number="123", pass_kind="")
    )
    taken = client.post(url, signup_data(monday, pass_kind=""))
    assert "document_number" in bad_cin.context["form"].errors
    assert "document_number" in taken.context["form"].errors
    assert NomadProfile.objects.count() == 1
    assert (
        not type(NomadProfile.objects.get().user)
        .objects.filter(email="sara.martin@example.org")
        .exists()
    )


def test_the_sign_up_page_sends_a_visitor_who_logs_in_back_to_it(site, make_desks):
    make_desks(1)
    url = reverse("coworking:join", args=[site.slug])
    page = client_for(None).get(url)
    assert f'?next={url}"'.encode() in page.content


def test_a_site_without_coworking_has_no_sign_up(other_site):
    assert (
        client_for(None).get(reverse("coworking:join", args=[other_site.slug])).status_code == 404
    )
