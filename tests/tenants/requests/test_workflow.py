"""The workflow of a request: each legal move, each refused one, and the events they leave."""

import pytest
from django.core.exceptions import ValidationError

from tenants.models import RequestEvent, RequestMessage, RequestStatus, ServiceRequest
from tenants.services import requests as services
from tests.clock import NOW
from tests.factories import StaffAssignmentFactory
from tests.factories.requests import ServiceRequestFactory

pytestmark = pytest.mark.django_db

S = RequestStatus


def _events(service_request):
    return list(
        RequestEvent.objects.filter(request=service_request)
        .order_by("at", "pk")
        .values_list("actor__email", "from_status", "to_status")
    )


def test_filing_a_request_records_its_submission_by_the_filer(filed, tenant_member):
    assert filed.status == S.SUBMITTED
    assert filed.created_by == tenant_member
    assert _events(filed) == [(tenant_member.email, "", S.SUBMITTED)]


def test_assigning_a_submitted_request_puts_it_in_progress(filed, agent, site_staff):
    services.request_assign(actor=site_staff, service_request=filed, agent=agent)
    filed.refresh_from_db()
    assert (filed.status, filed.assigned_to) == (S.IN_PROGRESS, agent)
    event = filed.events.last()
    assert (event.actor, event.from_status, event.to_status) == (
        site_staff,
        S.SUBMITTED,
        S.IN_PROGRESS,
    )
    assert "Karim Alaoui" in event.note


def test_an_agent_may_take_a_request_for_themselves(filed, agent):
    services.request_assign(actor=agent, service_request=filed, agent=agent)
    filed.refresh_from_db()
    assert filed.assigned_to == agent


def test_giving_a_request_in_progress_to_another_agent_keeps_its_status(
    in_progress, site_staff, site
):
    colleague = StaffAssignmentFactory(site=site, role="one_stop_shop_agent").user
    services.request_assign(actor=site_staff, service_request=in_progress, agent=colleague)
    in_progress.refresh_from_db()
    assert (in_progress.status, in_progress.assigned_to) == (S.IN_PROGRESS, colleague)
    assert _events(in_progress)[-1] == (site_staff.email, S.IN_PROGRESS, S.IN_PROGRESS)


def test_the_site_manager_may_be_assigned(filed, site_staff):
    services.request_assign(actor=site_staff, service_request=filed, agent=site_staff)
    filed.refresh_from_db()
    assert filed.assigned_to == site_staff


def test_an_agent_whose_account_is_closed_cannot_be_assigned(filed, agent, site_staff):
    agent.is_active = False
    agent.save()
    with pytest.raises(ValidationError, match="is not an agent of Technopark Essaouira"):
        services.request_assign(actor=site_staff, service_request=filed, agent=agent)
    filed.refresh_from_db()
    assert (filed.status, filed.assigned_to) == (S.SUBMITTED, None)
    assert _events(filed) == [(filed.created_by.email, "", S.SUBMITTED)]


@pytest.mark.parametrize("who", ["front_desk", "other_agent", "tenant_admin", "network_manager"])
def test_only_an_agent_or_manager_of_the_site_can_be_assigned(filed, site_staff, who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="is not an agent of Technopark Essaouira"):
        services.request_assign(actor=site_staff, service_request=filed, agent=person)
    filed.refresh_from_db()
    assert (filed.status, filed.assigned_to) == (S.SUBMITTED, None)
    assert len(_events(filed)) == 1


def test_asking_the_company_makes_the_request_wait_with_the_question_in_the_thread(
    in_progress, agent
):
    services.request_ask_company(
        actor=agent, service_request=in_progress, body="Merci d'envoyer le RC."
    )
    in_progress.refresh_from_db()
    assert in_progress.status == S.WAITING_FOR_TENANT
    assert [(m.author, m.body) for m in in_progress.messages.all()] == [
        (agent, "Merci d'envoyer le RC.")
    ]
    assert _events(in_progress)[-1] == (agent.email, S.IN_PROGRESS, S.WAITING_FOR_TENANT)


def test_the_companys_reply_puts_a_waiting_request_back_in_progress(waiting, tenant_member):
    services.request_reply_as_company(
        author=tenant_member, service_request=waiting, body="Voici le RC."
    )
    waiting.refresh_from_db()
    assert waiting.status == S.IN_PROGRESS
    assert _events(waiting)[-1] == (tenant_member.email, S.WAITING_FOR_TENANT, S.IN_PROGRESS)


def test_a_company_message_on_a_request_in_progress_changes_no_status(in_progress, tenant_admin):
    before = _events(in_progress)
    services.request_reply_as_company(
        author=tenant_admin, service_request=in_progress, body="Une précision."
    )
    in_progress.refresh_from_db()
    assert in_progress.status == S.IN_PROGRESS
    assert _events(in_progress) == before
    assert in_progress.messages.get().author == tenant_admin


def test_an_agent_reply_changes_no_status(in_progress, agent):
    services.request_reply_as_agent(author=agent, service_request=in_progress, body="Bien reçu.")
    in_progress.refresh_from_db()
    assert in_progress.status == S.IN_PROGRESS
    assert in_progress.messages.get().author == agent


@pytest.mark.parametrize("fixture", ["in_progress", "waiting"])
def test_a_request_in_progress_or_waiting_can_be_resolved(fixture, agent, request):
    service_request = request.getfixturevalue(fixture)
    before = service_request.status
    services.request_resolve(actor=agent, service_request=service_request, note="Prête.")
    service_request.refresh_from_db()
    assert service_request.status == S.RESOLVED
    assert service_request.closed_at is not None
    event = service_request.events.last()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        agent,
        before,
        S.RESOLVED,
        "Prête.",
    )


@pytest.mark.parametrize("fixture", ["filed", "in_progress", "waiting"])
def test_an_open_request_can_be_rejected_with_its_reason(fixture, site_staff, request):
    service_request = request.getfixturevalue(fixture)
    services.request_reject(
        actor=site_staff, service_request=service_request, reason="Hors du périmètre."
    )
    service_request.refresh_from_db()
    assert service_request.status == S.REJECTED
    assert service_request.rejection_reason == "Hors du périmètre."
    assert service_request.closed_at is not None
    assert service_request.events.last().note == "Hors du périmètre."


def test_a_rejection_without_reason_is_refused(filed, site_staff):
    with pytest.raises(ValidationError, match="Give the reason"):
        services.request_reject(actor=site_staff, service_request=filed, reason="   ")
    filed.refresh_from_db()
    assert filed.status == S.SUBMITTED


# Every (status, action) pair: what the workflow allows, written out rather than derived.
ACTIONS = ["assign", "ask", "resolve", "reject"]
ALLOWED = {
    S.SUBMITTED: {"assign": S.IN_PROGRESS, "reject": S.REJECTED},
    S.IN_PROGRESS: {
        "assign": S.IN_PROGRESS,
        "ask": S.WAITING_FOR_TENANT,
        "resolve": S.RESOLVED,
        "reject": S.REJECTED,
    },
    S.WAITING_FOR_TENANT: {
        "assign": S.WAITING_FOR_TENANT,
        "resolve": S.RESOLVED,
        "reject": S.REJECTED,
    },
    S.RESOLVED: {},
    S.REJECTED: {},
}
REFUSALS = {
    (S.SUBMITTED, "ask"): "A request that is submitted cannot become waiting for the company.",
    (S.SUBMITTED, "resolve"): "A request that is submitted cannot become resolved.",
    (S.WAITING_FOR_TENANT, "ask"): "This request is already waiting for the company.",
    (S.RESOLVED, "ask"): "A request that is resolved cannot become waiting for the company.",
    (S.RESOLVED, "resolve"): "This request is already resolved.",
    (S.RESOLVED, "reject"): "A request that is resolved cannot become rejected.",
    (S.RESOLVED, "assign"): "This request is resolved; it cannot change any more.",
    (S.REJECTED, "assign"): "This request is rejected; it cannot change any more.",
    (S.REJECTED, "resolve"): "A request that is rejected cannot become resolved.",
    (S.REJECTED, "reject"): "This request is already rejected.",
    (S.REJECTED, "ask"): "A request that is rejected cannot become waiting for the company.",
}


def _request_in(status, company, service, agent, colleague):
    fields = {"company": company, "service": service, "status": status}
    if status != S.SUBMITTED:
        fields["assigned_to"] = agent
    if status in (S.RESOLVED, S.REJECTED):
        fields["closed_at"] = NOW  # any instant: a closed request is dated (a constraint)
    if status == S.REJECTED:
        fields["rejection_reason"] = "Doublon."
    return ServiceRequestFactory(**fields)


def _do(action, service_request, actor, colleague):
    if action == "assign":
        services.request_assign(actor=actor, service_request=service_request, agent=colleague)
    elif action == "ask":
        services.request_ask_company(actor=actor, service_request=service_request, body="RC ?")
    elif action == "resolve":
        services.request_resolve(actor=actor, service_request=service_request)
    else:
        services.request_reject(actor=actor, service_request=service_request, reason="Non.")


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("action", ACTIONS)
def test_each_move_is_allowed_or_refused_with_a_clear_message(
    status, action, company, service, agent, site_staff, site
):
    colleague = StaffAssignmentFactory(site=site, role="one_stop_shop_agent").user
    service_request = _request_in(status, company, service, agent, colleague)
    expected = ALLOWED[status].get(action)
    if expected is None:
        with pytest.raises(ValidationError) as refused:
            _do(action, service_request, site_staff, colleague)
        assert refused.value.messages == [REFUSALS[(status, action)]]
        service_request.refresh_from_db()
        assert service_request.status == status
        assert not service_request.events.exists()
        assert not service_request.messages.exists()
    else:
        _do(action, service_request, site_staff, colleague)
        service_request.refresh_from_db()
        assert service_request.status == expected
        event = service_request.events.get()
        assert (event.actor, event.from_status, event.to_status) == (site_staff, status, expected)


@pytest.mark.parametrize("status", [S.RESOLVED, S.REJECTED])
def test_nobody_writes_in_a_closed_request(status, company, service, agent, tenant_member):
    service_request = _request_in(status, company, service, agent, None)
    with pytest.raises(ValidationError, match="cannot change any more"):
        services.request_reply_as_company(
            author=tenant_member, service_request=service_request, body="Encore une chose."
        )
    with pytest.raises(ValidationError, match="cannot change any more"):
        services.request_reply_as_agent(
            author=agent, service_request=service_request, body="Réouverture ?"
        )
    assert not RequestMessage.objects.exists()


@pytest.mark.parametrize(
    "who", ["tenant_admin", "other_site_staff", "other_agent", "network_manager", "front_desk"]
)
def test_only_the_sites_agents_and_managers_move_a_request(in_progress, agent, who, request):
    person = request.getfixturevalue(who)
    for action in ACTIONS:
        with pytest.raises(ValidationError, match="You may not do this on this request."):
            _do(action, in_progress, person, agent)
    with pytest.raises(ValidationError, match="You may not do this on this request."):
        services.request_reply_as_agent(author=person, service_request=in_progress, body="Hi")
    in_progress.refresh_from_db()
    assert in_progress.status == S.IN_PROGRESS


@pytest.mark.parametrize("who", ["other_company_user", "site_staff", "agent"])
def test_only_the_companys_people_reply_as_the_company(in_progress, who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="You may not do this on this request."):
        services.request_reply_as_company(
            author=person, service_request=in_progress, body="Bonjour"
        )
    assert not in_progress.messages.exists()


def test_a_superuser_may_work_any_request(filed, agent, superuser):
    services.request_assign(actor=superuser, service_request=filed, agent=agent)
    services.request_resolve(actor=superuser, service_request=filed)
    filed.refresh_from_db()
    assert filed.status == S.RESOLVED


def test_every_change_is_kept_in_the_history_with_its_author(in_progress, agent):
    services.request_resolve(actor=agent, service_request=in_progress)
    history = list(in_progress.history.order_by("history_date"))
    assert [record.status for record in history] == [S.SUBMITTED, S.IN_PROGRESS, S.RESOLVED]
    assert history[-1].history_user == agent


def test_a_request_cannot_be_filed_for_another_sites_service(tenant_member, company, other_service):
    with pytest.raises(ValidationError, match="not offered at your company's site"):
        services.request_create(
            user=tenant_member, company=company, service=other_service, description="Badge"
        )
    assert not ServiceRequest.objects.exists()


def test_a_request_cannot_be_filed_for_a_service_no_longer_offered(tenant_member, company, service):
    service.active = False
    service.save()
    with pytest.raises(ValidationError, match="not offered at your company's site"):
        services.request_create(
            user=tenant_member, company=company, service=service, description="Attestation"
        )
    assert not ServiceRequest.objects.exists()


def test_nobody_files_for_a_company_they_do_not_belong_to(
    other_company_user, site_staff, company, service
):
    for person in (other_company_user, site_staff):
        with pytest.raises(ValidationError, match="You may not do this"):
            services.request_create(
                user=person, company=company, service=service, description="Attestation"
            )
    assert not ServiceRequest.objects.exists()
