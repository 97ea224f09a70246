"""The allocation committee: accept with offices, waiting list, reject; in the staff admin."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sites.models import StaffRole
from technopark.db import violated_constraint
from tenants.models import (
    ApplicationStatus,
    CompanyStatus,
    OfficeApplication,
    Residency,
    ResidencyStatus,
)
from tenants.services import offices as services
from tests.concurrency import run_concurrently
from tests.conftest import client_for
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    SiteFactory,
    StaffAssignmentFactory,
)
from tests.factories.offices import (
    ApplicationDocumentFactory,
    OfficeApplicationFactory,
    OfficeFactory,
    residency,
)
from tests.queries import counting_queries

pytestmark = pytest.mark.django_db

START = dt.date(2026, 12, 1)


def _waiting(site):
    return list(
        OfficeApplication.objects.filter(site=site, status=ApplicationStatus.WAITING_LIST)
        .order_by("waiting_position")
        .values_list("company__legal_name", "waiting_position")
    )


# --- Accept ---------------------------------------------------------------------------------


def test_accepting_creates_the_contract_and_makes_the_company_resident(
    application, office, site_staff, rates, outbox
):
    contract = services.application_accept(
        application=application, user=site_staff, offices=[office], start=START
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.decided_by == site_staff and application.decided_at is not None
    assert contract.application == application
    assert contract.status == ResidencyStatus.ACTIVE
    assert contract.tier == "startup" and contract.firm_end is None
    assert list(contract.offices.all()) == [office]
    application.company.refresh_from_db()
    assert application.company.status == CompanyStatus.RESIDENT


def test_the_companys_admins_are_told_in_their_language(
    application, applicant_admin, office, site_staff, django_capture_on_commit_callbacks, outbox
):
    MembershipFactory(company=application.company, role="member")  # members are not written to
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(
            application=application, user=site_staff, offices=[office], start=START
        )
    assert [message.to for message in outbox] == [[applicant_admin.email]]
    assert "accepted" in outbox[0].subject  # applicant_admin reads English
    assert "Bureau A-101" in outbox[0].body


def test_an_sme_is_offered_the_sme_tier_with_22_months_firm(site, office, site_staff):
    sme = CompanyFactory(home_site=site, stage="sme", status=CompanyStatus.APPLICANT)
    application = OfficeApplicationFactory(site=site, company=sme)
    contract = services.application_accept(
        application=application, user=site_staff, offices=[office], start=START
    )
    assert contract.tier == "sme"
    assert contract.firm_end == dt.date(2028, 10, 1)


def test_accepting_without_the_companys_ice_is_refused_clearly(site, office, site_staff):
    company = CompanyFactory(home_site=site, ice=None, status=CompanyStatus.APPLICANT)
    application = OfficeApplicationFactory(site=site, company=company)
    with pytest.raises(ValidationError, match="has no ICE yet"):
        services.application_accept(
            application=application, user=site_staff, offices=[office], start=START
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Residency.objects.exists()


def test_accepting_with_an_office_already_let_is_refused_and_nothing_changes(
    application, office, company, site_staff
):
    residency(company=company, offices=[office], start=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="Already let"):
        services.application_accept(
            application=application, user=site_staff, offices=[office], start=START
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Residency.objects.count() == 1


def test_a_decided_application_cannot_be_decided_again(application, site_staff):
    services.application_reject(application=application, user=site_staff, reason="Hors secteur")
    with pytest.raises(ValidationError, match="no longer open"):
        services.application_wait(application=application, user=site_staff)
    application.refresh_from_db()
    assert (application.status, application.waiting_position) == (ApplicationStatus.REJECTED, None)


# --- Waiting list ---------------------------------------------------------------------------


def _five_on_the_list(site, staff):
    applications = [
        OfficeApplicationFactory(site=site, company__legal_name=f"Company {n}") for n in range(1, 6)
    ]
    for application in applications:
        services.application_wait(application=application, user=staff)
    return applications


def test_the_waiting_list_puts_each_new_one_at_the_end(site, site_staff):
    _five_on_the_list(site, site_staff)
    assert _waiting(site) == [(f"Company {n}", n) for n in range(1, 6)]


def test_a_given_position_shifts_the_others_down(site, site_staff):
    _five_on_the_list(site, site_staff)
    newcomer = OfficeApplicationFactory(site=site, company__legal_name="Newcomer")
    services.application_wait(application=newcomer, user=site_staff, position=2)
    assert [name for name, _ in _waiting(site)] == [
        "Company 1",
        "Newcomer",
        "Company 2",
        "Company 3",
        "Company 4",
        "Company 5",
    ]
    assert [position for _, position in _waiting(site)] == [1, 2, 3, 4, 5, 6]


def test_moving_within_the_list_renumbers_1_to_n(site, site_staff):
    applications = _five_on_the_list(site, site_staff)
    services.application_wait(application=applications[4], user=site_staff, position=1)
    services.application_wait(application=applications[0], user=site_staff, position=99)
    assert _waiting(site) == [
        ("Company 5", 1),
        ("Company 2", 2),
        ("Company 3", 3),
        ("Company 4", 4),
        ("Company 1", 5),
    ]


def test_leaving_the_list_closes_the_gap(site, site_staff, office, applicant_admin):
    applications = _five_on_the_list(site, site_staff)
    services.application_accept(
        application=applications[1], user=site_staff, offices=[office], start=START
    )
    services.application_reject(application=applications[2], user=site_staff, reason="Complet")
    services.application_withdraw(application=applications[0], user=applicant_admin)
    assert _waiting(site) == [("Company 4", 1), ("Company 5", 2)]


def test_moving_on_the_list_keeps_the_decision_and_writes_to_nobody(
    site, application, applicant_admin, site_staff, django_capture_on_commit_callbacks, outbox
):
    _five_on_the_list(site, site_staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_wait(application=application, user=site_staff, reason="Complet")
    application.refresh_from_db()
    decided = (application.decided_by, application.decided_at, application.decision_reason)
    assert application.waiting_position == 6
    assert [message.to for message in outbox] == [[applicant_admin.email]]

    mover = StaffAssignmentFactory(site=site, role=StaffRole.SITE_MANAGER).user
    with django_capture_on_commit_callbacks(execute=True):
        services.application_wait(application=application, user=mover, position=1)
    application.refresh_from_db()
    assert application.waiting_position == 1
    assert (application.decided_by, application.decided_at, application.decision_reason) == decided
    assert len(outbox) == 1  # nobody is told twice about the same decision


def test_a_new_note_when_moving_replaces_the_note_only(site, application, site_staff):
    services.application_wait(application=application, user=site_staff, reason="Complet")
    application.refresh_from_db()
    decided_at = application.decided_at
    services.application_wait(application=application, user=site_staff, reason="Bientôt")
    application.refresh_from_db()
    assert application.decision_reason == "Bientôt" and application.decided_at == decided_at


def test_the_wait_form_of_an_application_on_the_list_asks_only_the_position(
    application, site_staff
):
    services.application_wait(application=application, user=site_staff, reason="Complet")
    page = client_for(site_staff).get(
        reverse("admin:tenants_officeapplication_wait", args=[application.pk])
    )
    assert list(page.context["form"].fields) == ["position"]


def test_the_database_refuses_position_0_and_an_undated_decision(site):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        OfficeApplicationFactory(site=site, status="waiting_list", waiting_position=0)
    assert violated_constraint(refused.value) == "application_position_from_1"
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        OfficeApplicationFactory(
            site=site, status="rejected", decision_reason="Non", decided_at=None
        )
    assert violated_constraint(refused.value) == "application_decision_is_dated"


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_two_applications_at_one_position_when_committing():
    site = SiteFactory()
    OfficeApplicationFactory(site=site, status="waiting_list", waiting_position=1)
    OfficeApplicationFactory(site=SiteFactory(), status="waiting_list", waiting_position=1)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        OfficeApplicationFactory(site=site, status="waiting_list", waiting_position=1)
        OfficeApplicationFactory(site=site, status="waiting_list", waiting_position=2)
    assert violated_constraint(refused.value) == "application_one_position_per_site"
    assert OfficeApplication.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_applications_put_at_position_1_at_once_end_as_1_and_2():
    site = SiteFactory()
    staff = StaffAssignmentFactory(site=site, role=StaffRole.SITE_MANAGER).user
    applications = OfficeApplicationFactory.create_batch(2, site=site)

    outcomes = run_concurrently(
        [
            lambda a=a: services.application_wait(application=a, user=staff, position=1)
            for a in applications
        ]
    )

    assert [outcome.message for outcome in outcomes] == ["ok", "ok"]
    positions = sorted(
        OfficeApplication.objects.filter(site=site).values_list("waiting_position", flat=True)
    )
    assert positions == [1, 2]


def test_each_site_has_its_own_list(site, other_site, site_staff, other_site_staff):
    _five_on_the_list(site, site_staff)
    elsewhere = OfficeApplicationFactory(site=other_site)
    services.application_wait(application=elsewhere, user=other_site_staff)
    elsewhere.refresh_from_db()
    assert elsewhere.waiting_position == 1


# --- Reject ---------------------------------------------------------------------------------


def test_a_rejection_needs_a_reason(application, site_staff):
    with pytest.raises(ValidationError, match="needs its reason"):
        services.application_reject(application=application, user=site_staff, reason="   ")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_rejection_keeps_its_reason_and_tells_the_company(
    application, applicant_admin, site_staff, django_capture_on_commit_callbacks, outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=application, user=site_staff, reason="Projet hors des secteurs suivis"
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decision_reason == "Projet hors des secteurs suivis"
    application.company.refresh_from_db()
    assert application.company.status == CompanyStatus.REJECTED
    assert "Projet hors des secteurs suivis" in outbox[0].body


def test_a_rejected_resident_stays_resident(company, site, site_staff):
    application = OfficeApplicationFactory(site=site, company=company)
    services.application_reject(application=application, user=site_staff, reason="Complet")
    company.refresh_from_db()
    assert company.status == CompanyStatus.RESIDENT


# --- In the staff admin -----------------------------------------------------------------------


def test_the_queue_shows_the_sites_applications_oldest_first(site, site_staff, other_application):
    first = OfficeApplicationFactory(site=site)
    second = OfficeApplicationFactory(site=site)
    response = client_for(site_staff).get(reverse("admin:tenants_officeapplication_changelist"))
    assert list(response.context["cl"].result_list) == [first, second]


def test_the_site_filter_lists_only_ones_own_sites(site, site_staff, other_application):
    own = OfficeApplicationFactory(site=site)
    response = client_for(site_staff).get(reverse("admin:tenants_officeapplication_changelist"))
    html = response.content.decode()
    # One site: neither a site column nor a site filter, only that site's rows.
    assert own.company.legal_name in html and other_application.site.name not in html


def test_the_queue_lists_with_the_same_queries_at_1_and_50_rows(site, site_staff):
    client = client_for(site_staff)
    url = reverse("admin:tenants_officeapplication_changelist")
    OfficeApplicationFactory(site=site)
    client.get(url)
    with counting_queries() as one:
        client.get(url)
    OfficeApplicationFactory.create_batch(49, site=site)
    with counting_queries() as fifty:
        assert len(client.get(url).context["cl"].result_list) == 50
    assert len(one) == len(fifty)


def test_site_staff_accept_through_the_admin(application, office, site_staff, rates):
    client = client_for(site_staff)
    url = reverse("admin:tenants_officeapplication_accept", args=[application.pk])
    page = client.get(url)
    assert "Bureau A-101" in page.content.decode()
    response = client.post(
        url, {"offices": [office.pk], "start": "2026-12-01", "tier": "startup", "reason": ""}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.residency.start == dt.date(2026, 12, 1)


def test_the_admin_refuses_an_office_let_over_the_chosen_start(
    application, office, company, site_staff
):
    residency(company=company, offices=[office], start=dt.date(2027, 1, 1))
    response = client_for(site_staff).post(
        reverse("admin:tenants_officeapplication_accept", args=[application.pk]),
        {"offices": [office.pk], "start": "2026-12-01", "tier": "startup"},
    )
    assert response.status_code == 200
    # Let from 2027 on, it is not free from 1 December with no end: not even offered
    # (test_accept_offices.py has the office offered, then posted with an earlier start).
    assert "not one of the available choices" in str(response.context["form"].errors)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_admin_says_why_without_an_ice(site, office, site_staff):
    company = CompanyFactory(home_site=site, ice=None, status=CompanyStatus.APPLICANT)
    application = OfficeApplicationFactory(site=site, company=company)
    response = client_for(site_staff).post(
        reverse("admin:tenants_officeapplication_accept", args=[application.pk]),
        {"offices": [office.pk], "start": "2026-12-01", "tier": "startup"},
    )
    assert response.status_code == 200
    assert "has no ICE yet" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Residency.objects.exists()


def test_staff_cannot_allot_an_office_of_another_site(application, other_office, site_staff):
    response = client_for(site_staff).post(
        reverse("admin:tenants_officeapplication_accept", args=[application.pk]),
        {"offices": [other_office.pk], "start": "2026-12-01", "tier": "startup"},
    )
    assert response.status_code == 200
    assert "offices" in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Residency.objects.exists()
    assert not Residency.objects.exists()


def test_staff_of_another_site_neither_see_nor_decide(application, other_site_staff, office):
    client = client_for(other_site_staff)
    listed = client.get(reverse("admin:tenants_officeapplication_changelist"))
    assert application not in listed.context["cl"].result_list
    for name in ("change", "accept", "wait", "reject"):
        url = reverse(f"admin:tenants_officeapplication_{name}", args=[application.pk])
        assert client.get(url).status_code == 404
    post = client.post(
        reverse("admin:tenants_officeapplication_reject", args=[application.pk]),
        {"reason": "Non"},
    )
    assert post.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_network_managers_read_the_queue_but_cannot_decide(application, network_manager):
    client = client_for(network_manager)
    page = client.get(reverse("admin:tenants_officeapplication_change", args=[application.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    url = reverse("admin:tenants_officeapplication_accept", args=[application.pk])
    assert client.get(url).status_code == 404


def test_the_change_form_saves_nothing(application, site_staff):
    response = client_for(site_staff).post(
        reverse("admin:tenants_officeapplication_change", args=[application.pk]),
        {"status": "accepted"},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_waiting_list_and_reject_through_the_admin(site, site_staff):
    first, second = OfficeApplicationFactory.create_batch(2, site=site)
    client = client_for(site_staff)
    for application in (first, second):
        url = reverse("admin:tenants_officeapplication_wait", args=[application.pk])
        assert client.post(url, {"position": "", "reason": ""}).status_code == 302
    url = reverse("admin:tenants_officeapplication_wait", args=[second.pk])
    client.post(url, {"position": "1", "reason": "Priorité jeux vidéo"})
    assert [pk for pk in _pks_on_list(site)] == [second.pk, first.pk]

    url = reverse("admin:tenants_officeapplication_reject", args=[first.pk])
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200 and "reason" in page.context["form"].errors
    assert client.post(url, {"reason": "Complet"}).status_code == 302
    first.refresh_from_db()
    assert first.status == ApplicationStatus.REJECTED
    assert _waiting(site) == [(second.company.legal_name, 1)]


def _pks_on_list(site):
    return (
        OfficeApplication.objects.filter(site=site, status=ApplicationStatus.WAITING_LIST)
        .order_by("waiting_position")
        .values_list("pk", flat=True)
    )


def test_admin_document_download_is_scoped(application, site_staff, other_site_staff):
    document = ApplicationDocumentFactory(application=application)
    url = reverse("admin:tenants_officeapplication_document", args=[application.pk, document.pk])
    response = client_for(site_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(other_site_staff).get(url).status_code == 404


def test_a_new_application_alerts_the_sites_managers(
    site, applicant, applicant_admin, site_staff, other_site_staff, front_desk, outbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            company=applicant,
            site=site,
            user=applicant_admin,
            area_wanted_m2=20,
            team_size=3,
            program_wanted="start",
            pitch="Studio",
        )
    # The site's managers are alerted; the applicant only gets their acknowledgement.
    assert sorted(message.to for message in outbox) == sorted(
        [[site_staff.email], [applicant_admin.email]]
    )


def test_the_accept_form_offers_the_sites_offices_only(application, site_staff, other_office):
    OfficeFactory(site=application.site, name="Bureau Z")
    page = client_for(site_staff).get(
        reverse("admin:tenants_officeapplication_accept", args=[application.pk])
    )
    assert [o.name for o in page.context["form"].fields["offices"].queryset] == ["Bureau Z"]


@pytest.mark.parametrize(
    "template",
    ["submitted", "waiting", "rejected", "accepted"],
)
def test_mails_keep_the_names_as_written(django_capture_on_commit_callbacks, outbox, template):
    site = SiteFactory(name="""Technopark d'Essaouira & <"Mogador">""")
    site_staff = StaffAssignmentFactory(site=site, role=StaffRole.SITE_MANAGER).user
    office = OfficeFactory(site=site)
    name = """L'Atelier & Fils <"Studio">"""
    company = CompanyFactory(legal_name=name, home_site=site, status=CompanyStatus.APPLICANT)
    founder = MembershipFactory(company=company, role="admin", user__language="en").user
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(
            company=company, site=site, user=founder, area_wanted_m2=20, team_size=3,
            program_wanted="start", pitch="Studio",
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        if template == "waiting":
            services.application_wait(application=application, user=site_staff)
        elif template == "rejected":
            services.application_reject(application=application, user=site_staff, reason="Non")
        elif template == "accepted":
            services.application_accept(
                application=application, user=site_staff, offices=[office], start=START
            )
    # After a submission, the last mail is the applicant's acknowledgement: check the staff's.
    message = (
        outbox[-1]
        if template != "submitted"
        else next(m for m in outbox if m.to == [site_staff.email])
    )
    assert site.name in message.subject
    if template == "submitted":
        assert name in message.subject
    assert name in message.body
    for escaped in ("&amp;", "&#x27;", "&lt;", "&quot;"):
        assert escaped not in message.subject and escaped not in message.body


def _staff_elsewhere_and_admin_of(company, role):
    """A person on the staff of another site who is also an admin of ``company``."""
    person = StaffAssignmentFactory(site=SiteFactory(name="Technopark Tanger"), role=role).user
    MembershipFactory(company=company, user=person, role="admin")
    return person


@pytest.mark.parametrize("role", [StaffRole.FRONT_DESK, StaffRole.SITE_MANAGER])
def test_staff_of_another_site_never_decide_on_their_own_companys_application(
    application, office, role
):
    person = _staff_elsewhere_and_admin_of(application.company, role)
    client = client_for(person)
    for name in ("change", "accept", "wait", "reject"):
        url = reverse(f"admin:tenants_officeapplication_{name}", args=[application.pk])
        assert client.get(url).status_code == 404, name
    posts = {
        "accept": {"offices": [office.pk], "start": "2026-12-01", "tier": "startup"},
        "wait": {"position": "1", "reason": ""},
        "reject": {"reason": "Non"},
        "change": {"status": "accepted"},
    }
    for name, data in posts.items():
        url = reverse(f"admin:tenants_officeapplication_{name}", args=[application.pk])
        assert client.post(url, data).status_code == 404, name
    listed = client.get(reverse("admin:tenants_officeapplication_changelist"))
    assert listed.status_code == 404 or application not in listed.context["cl"].result_list
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    # In the portal the same person follows the application as the company's admin.
    detail = client.get(reverse("portal:application_detail", args=[application.pk]))
    assert detail.status_code == 200 and detail.context["can_withdraw"]
