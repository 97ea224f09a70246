"""Law 09-08: what is collected is said, identity numbers are masked, a person gets their data."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.factories.coworking import NomadProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomad_profile(site):
    return NomadProfileFactory(
        site=site, user=UserFactory(email="lina@example.ma"), document_number="JB123456"
    )


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_privacy_page_says_what_is_collected_and_why_in_each_language(language, db):
    response = client_for(None).get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert "09-08" in response.content.decode()
    assert reverse("my_data") in response.content.decode()


def test_every_page_links_to_the_privacy_page(db):
    assert reverse("privacy") in client_for(None).get(reverse("public:network")).content.decode()


def test_a_person_downloads_everything_about_them_without_secrets(nomad_profile):
    response = client_for(nomad_profile.user).get(reverse("my_data"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["person"] == "lina@example.ma"
    assert data["data"]["nomad_membership"][0]["fields"]["document_number"] == "JB123456"
    assert "password" not in data["data"]["account"][0]["fields"]


def test_the_download_holds_nobody_elses_data(nomad_profile, tenant_admin):
    data = json.loads(client_for(tenant_admin).get(reverse("my_data")).content)
    assert data["data"]["nomad_membership"] == []
    assert [row["pk"] for row in data["data"]["account"]] == [tenant_admin.pk]


def test_the_network_manager_reads_a_masked_document_number(nomad_profile, network_manager):
    url = reverse("admin:coworking_nomadprofile_change", args=[nomad_profile.pk])
    page = client_for(network_manager).get(url).content.decode()
    assert "JB123456" not in page
    assert "JB••••56" in page


def test_the_sites_staff_who_decide_read_the_full_number(nomad_profile, site_staff):
    url = reverse("admin:coworking_nomadprofile_change", args=[nomad_profile.pk])
    assert "JB123456" in client_for(site_staff).get(url).content.decode()


def test_a_reader_cannot_search_by_document_number(nomad_profile, network_manager):
    url = reverse("admin:coworking_nomadprofile_changelist") + "?q=JB123456"
    response = client_for(network_manager).get(url)
    assert nomad_profile not in response.context["cl"].result_list


@pytest.fixture
def erasure_requested(nomad_profile, superuser, django_capture_on_commit_callbacks):
    client = client_for(nomad_profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("erasure_request"))
    assert response.status_code == 302
    return nomad_profile


def test_a_person_asks_for_deletion_and_the_superusers_are_told(erasure_requested, superuser):
    from django.core import mail

    user = erasure_requested.user
    user.refresh_from_db()
    assert user.erasure_requested_at is not None
    assert [m.to for m in mail.outbox] == [[superuser.email]]
    assert "?erasure=requested" in mail.outbox[0].body
    # Asking twice records nothing new and tells nobody again.
    client_for(user).post(reverse("erasure_request"))
    assert len(mail.outbox) == 1
    page = client_for(user).get(reverse("privacy")).content.decode()
    assert reverse("erasure_request") not in page


def _erase(client, user, **kwargs):
    return client.post(
        reverse("admin:technopark_user_changelist"),
        {"action": "erase_personal_data", "_selected_action": [user.pk]},
        **kwargs,
    )


def test_a_superuser_erases_what_identifies_the_person_and_keeps_the_records(
    erasure_requested, superuser, site
):
    from coworking.models import NomadProfile, Pass
    from tests.factories.coworking import PassFactory

    user = erasure_requested.user
    desk_pass = PassFactory(holder=user, site=site)
    listed = client_for(superuser).get(
        reverse("admin:technopark_user_changelist") + "?erasure=requested"
    )
    assert user in listed.context["cl"].result_list
    assert _erase(client_for(superuser), user).status_code == 302
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert user.full_name == "" and not user.is_active and not user.has_usable_password()
    assert user.erased_at is not None
    profile = NomadProfile.objects.get(pk=erasure_requested.pk)
    assert (profile.document_number, profile.phone, profile.nationality) == ("", "", "")
    # Nothing identifying is left in the history either.
    assert not user.history.filter(email="lina@example.ma").exists()
    assert not profile.history.filter(document_number="JB123456").exists()
    # The site's records stay, pointing at the anonymous account.
    assert Pass.objects.get(pk=desk_pass.pk).holder_id == user.pk
    # The account is closed: its session no longer opens pages.
    assert client_for(user).get(reverse("my_data")).status_code == 302
    data = json.dumps(
        [list(r) for r in NomadProfile.history.filter(id=profile.pk).values_list()], default=str
    )
    assert "JB123456" not in data and "lina@example.ma" not in data


def test_only_a_superuser_erases(erasure_requested, network_manager, superuser):
    from technopark.services import user_erase

    user = erasure_requested.user
    _erase(client_for(network_manager), user)
    user.refresh_from_db()
    assert user.erased_at is None and user.email == "lina@example.ma"
    with pytest.raises(PermissionDenied):
        user_erase(actor=network_manager, user=user)
    # A superuser is never erased while one (demote first), and says so.
    response = _erase(client_for(superuser), superuser, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    superuser.refresh_from_db()
    assert superuser.erased_at is None
    assert "remove the status first" in response.content.decode()


def test_two_erased_members_do_not_collide_on_the_empty_document_number(site, superuser):
    from technopark.services import user_erase

    first = NomadProfileFactory(site=site, document_number="JB111111")
    second = NomadProfileFactory(site=site, document_number="JB222222")
    for profile in (first, second):
        user_erase(actor=superuser, user=profile.user)
    assert NomadProfileFactory(site=site, document_number="JB111111")  # the number is free again


def test_erasing_a_person_blanks_their_event_registrations(superuser, make_event):
    from events import services as event_services
    from events.models import Registration
    from technopark.services import user_erase
    from tests.events.conftest import DAY, NOW, local

    event = make_event()
    later = DAY + dt.timedelta(days=1)
    person = UserFactory(email="sara@example.ma", full_name="Sara Bennani")
    mine = event_services.registration_create(event=event, user=person, now=NOW)
    before_account = event_services.registration_create(
        event=make_event(title="Autre", dates=[(local(later, 9), local(later, 11))]),
        name="Sara B",
        email="Sara@Example.ma",
        now=NOW,
    )
    other = event_services.registration_create(event=event, user=UserFactory(), now=NOW)
    user_erase(actor=superuser, user=person)
    for registration in (mine, before_account):
        registration.refresh_from_db()
        assert registration.name == "" and "sara" not in registration.email.lower()
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"  # still counted
    assert Registration.objects.get(pk=other.pk).name != ""
