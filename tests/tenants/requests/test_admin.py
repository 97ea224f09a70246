"""The staff admin: each site's staff work their site's requests, and nobody else's."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tenants.models import RequestStatus, Service, ServiceRequest
from tenants.services import requests as services
from tests.factories.requests import ServiceRequestFactory

from .conftest import client_in_english

pytestmark = pytest.mark.django_db

S = RequestStatus
CHANGELIST = reverse("admin:tenants_servicerequest_changelist")


def _url(name, service_request):
    return reverse(f"admin:tenants_servicerequest_{name}", args=[service_request.pk])


def _said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def theirs(other_company, other_service):
    """A request of company B at site B."""
    return ServiceRequestFactory(company=other_company, service=other_service)


def test_site_staff_list_their_sites_requests_only(filed, theirs, site_staff, other_site_staff):
    response = client_in_english(site_staff).get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [filed]
    response = client_in_english(other_site_staff).get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [theirs]


def test_the_agent_filter_offers_only_the_sites_agents(
    in_progress, theirs, agent, other_agent, site_staff
):
    client = client_in_english(site_staff)
    html = client.get(CHANGELIST).content.decode()
    assert "Karim Alaoui" in html
    assert "Leila Bennis" not in html
    response = client.get(CHANGELIST, {"agent": agent.pk})
    assert list(response.context["cl"].result_list) == [in_progress]
    response = client.get(CHANGELIST, {"agent": "none"})
    assert list(response.context["cl"].result_list) == []


def test_the_change_page_shows_the_thread_the_events_and_the_workflow(
    waiting, agent, site_staff, tenant_member
):
    services.request_reply_as_company(
        author=tenant_member, service_request=waiting, body="Voici le RC demandé."
    )
    response = client_in_english(site_staff).get(_url("change", waiting))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html
    assert "Merci d&#x27;envoyer le RC." in html
    assert "Voici le RC demandé." in html
    assert [e.to_status for e in response.context["events"]] == [
        S.SUBMITTED,
        S.IN_PROGRESS,
        S.WAITING_FOR_TENANT,
        S.IN_PROGRESS,
    ]
    for action in ("assign", "reply", "ask", "resolve", "reject"):
        assert _url(action, waiting) in html


def test_a_network_manager_reads_the_request_without_the_workflow(in_progress, network_manager):
    response = client_in_english(network_manager).get(_url("change", in_progress))
    assert response.status_code == 200
    assert response.context.get("workflow") is None
    assert _url("resolve", in_progress) not in response.content.decode()


def test_other_site_staff_neither_see_nor_work_the_request(in_progress, other_site_staff, agent):
    client = client_in_english(other_site_staff)
    assert client.get(_url("change", in_progress)).status_code == 404
    assert client.get(_url("history", in_progress)).status_code == 404
    posts = {
        "assign": {"agent": agent.pk},
        "reply": {"body": "Bonjour"},
        "ask": {"ask-body": "Le RC ?"},
        "resolve": {},
        "reject": {"reason": "Non"},
    }
    for action, data in posts.items():
        assert client.post(_url(action, in_progress), data).status_code == 404, action
    in_progress.refresh_from_db()
    assert in_progress.status == S.IN_PROGRESS
    assert not in_progress.messages.exists()


def test_staff_work_a_request_through_its_page(filed, agent, site_staff, tenant_member):
    client = client_in_english(site_staff)
    response = client.post(_url("assign", filed), {"agent": agent.pk, "note": "Urgent"})
    assert response["Location"] == _url("change", filed)
    assert _said(response) == ["The request is assigned."]
    client.post(_url("ask", filed), {"ask-body": "Merci d'envoyer le RC."})
    filed.refresh_from_db()
    assert filed.status == S.WAITING_FOR_TENANT
    client.post(_url("reply", filed), {"body": "Nous attendons votre document."})
    client.post(_url("resolve", filed), {"note": "Fait."})
    filed.refresh_from_db()
    assert (filed.status, filed.assigned_to) == (S.RESOLVED, agent)
    assert [m.author for m in filed.messages.all()] == [site_staff, site_staff]
    assert list(filed.events.values_list("actor", "to_status")) == [
        (tenant_member.pk, S.SUBMITTED),
        (site_staff.pk, S.IN_PROGRESS),
        (site_staff.pk, S.WAITING_FOR_TENANT),
        (site_staff.pk, S.RESOLVED),
    ]


def test_a_rejection_without_reason_is_refused_with_a_message(filed, site_staff):
    response = client_in_english(site_staff).post(_url("reject", filed), {"reason": ""})
    assert response.status_code == 302
    assert _said(response) == ["Reason: Give the reason of the rejection."]
    filed.refresh_from_db()
    assert filed.status == S.SUBMITTED


def test_an_illegal_move_from_the_admin_is_a_message_not_an_error(filed, site_staff):
    response = client_in_english(site_staff).post(_url("resolve", filed), {})
    assert response.status_code == 302
    assert _said(response) == ["A request that is submitted cannot become resolved."]


def test_assigning_an_agent_of_another_site_from_the_page_is_refused(
    filed, other_agent, site_staff
):
    response = client_in_english(site_staff).post(_url("assign", filed), {"agent": other_agent.pk})
    assert _said(response) == ["Agent: Choose an agent who works at this request's site."]
    filed.refresh_from_db()
    assert filed.assigned_to is None


# --- Bulk actions ------------------------------------------------------------------------


def _action(client, action, requests, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [r.pk for r in requests], **extra},
    )


@pytest.fixture
def two_filed(filed, company, service):
    return [filed, ServiceRequestFactory(company=company, service=service)]


def test_bulk_assign_asks_for_an_agent_of_the_requests_site(
    two_filed, agent, other_agent, site_staff
):
    response = _action(client_in_english(site_staff), "assign_to_agent", two_filed)
    assert response.status_code == 200
    offered = set(response.context["form"].fields["agent"].queryset)
    assert offered == {agent, site_staff}
    assert "Leila Bennis" not in response.content.decode()


def test_bulk_assign_gives_each_request_to_the_agent(two_filed, agent, site_staff):
    response = _action(
        client_in_english(site_staff), "assign_to_agent", two_filed, apply="yes", agent=agent.pk
    )
    assert response.status_code == 302
    assert _said(response) == ["2 requests changed."]
    assert set(ServiceRequest.objects.values_list("status", "assigned_to")) == {
        (S.IN_PROGRESS, agent.pk)
    }


def test_bulk_assign_to_an_agent_of_another_site_is_refused(two_filed, other_agent, site_staff):
    response = _action(
        client_in_english(site_staff),
        "assign_to_agent",
        two_filed,
        apply="yes",
        agent=other_agent.pk,
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agent"] == [
        "Choose an agent who works at this request's site."
    ]
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {S.SUBMITTED}


def test_bulk_assign_refuses_requests_of_several_sites(filed, theirs, agent, superuser):
    response = _action(
        client_in_english(superuser),
        "assign_to_agent",
        [filed, theirs],
        apply="yes",
        agent=agent.pk,
    )
    assert response.status_code == 302
    assert _said(response) == ["Choose requests of one site at a time: an agent works at one site."]
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {S.SUBMITTED}


def test_other_site_staff_cannot_bulk_act_on_the_sites_requests(two_filed, agent, other_site_staff):
    client = client_in_english(other_site_staff)
    _action(client, "assign_to_agent", two_filed, apply="yes", agent=agent.pk)
    _action(client, "resolve_selected", two_filed)
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {S.SUBMITTED}


def test_bulk_resolve_resolves_what_may_be_and_says_what_may_not(
    in_progress, company, service, site_staff
):
    submitted = ServiceRequestFactory(company=company, service=service)
    response = _action(client_in_english(site_staff), "resolve_selected", [in_progress, submitted])
    assert _said(response) == [
        "1 request changed.",
        f"#{submitted.pk}: A request that is submitted cannot become resolved.",
    ]
    in_progress.refresh_from_db()
    assert in_progress.status == S.RESOLVED


# --- The catalogue ----------------------------------------------------------------------


def _service_form(site, **overrides):
    return {
        "site": site.pk,
        "name_fr": "Affiliation CNSS",  # the French text is the required one
        "category": "social",
        "partner": "cnss",
        "description_fr": "",
        "target_days": 7,
        "needs_appointment": "on",
        "active": "on",
    } | overrides


def test_site_staff_add_a_service_to_their_sites_catalogue(site, site_staff):
    response = client_in_english(site_staff).post(
        reverse("admin:tenants_service_add"), _service_form(site)
    )
    assert response.status_code == 302
    assert Service.objects.get(name_fr="Affiliation CNSS").site == site


def test_other_site_staff_cannot_add_a_service_to_this_site(site, other_site_staff):
    response = client_in_english(other_site_staff).post(
        reverse("admin:tenants_service_add"), _service_form(site)
    )
    assert response.status_code == 200
    assert "site" in response.context["adminform"].form.errors
    assert not Service.objects.filter(name="Affiliation CNSS").exists()


def test_a_target_time_under_one_day_is_refused(site, site_staff):
    response = client_in_english(site_staff).post(
        reverse("admin:tenants_service_add"), _service_form(site, target_days=0)
    )
    assert "target_days" in response.context["adminform"].form.errors


def test_service_changes_are_kept_with_who_made_them(service, site, site_staff):
    client_in_english(site_staff).post(
        reverse("admin:tenants_service_change", args=[service.pk]),
        _service_form(site, name_fr="Attestation de résidence", partner="", needs_appointment=""),
    )
    latest = service.history.latest()
    assert (latest.name, latest.history_user) == ("Attestation de résidence", site_staff)
