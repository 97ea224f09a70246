"""The events pages: the public list and detail, tickets, the portal, the staff check-in.

Thin: each view reads the request, calls one selector or service, and renders
or redirects. A service's refusal becomes a message or a form error; a row out
of the person's scope is 404.
"""

import csv
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import ical, selectors, services
from events.forms import CheckInForm, ProposalForm, VisitorRegistrationForm
from events.models import EventKind, EventLanguage, Registration, RegistrationStatus
from sites.models import Site
from technopark import access, refusals
from technopark.paging import paginate, query_without
from technopark.spreadsheets import inert
from tenants.models import Company, CompanyStatus
from tenants.views.base import acting_company

PER_PAGE = 12


def _filters(request) -> selectors.EventFilters:
    get = request.GET
    day = parse_date(get.get("from", "")) if get.get("from") else None
    try:
        day = day if day and 2000 <= day.year <= 2100 else None
    except ValueError:  # pragma: no cover - parse_date raises it for 2026-02-31
        day = None
    return selectors.EventFilters(
        site=get.get("site", "")[:60],
        kind=get.get("kind", "") if get.get("kind") in EventKind.values else "",
        language=get.get("language", "") if get.get("language") in EventLanguage.values else "",
        price=get.get("price", "") if get.get("price") in ("free", "paid") else "",
        day=day,
    )


def event_list(request):
    """Upcoming events across the network, filtered and paged."""
    try:
        filters = _filters(request)
    except ValueError:
        filters = selectors.EventFilters()
    events = selectors.public_events(now=timezone.now(), filters=filters)
    return render(
        request,
        "events/list.html",
        {
            "page": paginate(request, events, PER_PAGE),
            "query": query_without(request, "page"),
            "filters": filters,
            "sites": access.public(Site.objects.filter(status="operating")).order_by("name"),
            "kinds": EventKind.choices,
            "event_languages": EventLanguage.choices,
        },
    )


def _my_registration(request, event):
    if not request.user.is_authenticated:
        return None
    return (
        access.scope(Registration.objects.filter(event=event, user=request.user), request.user)
        .exclude(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED])
        .first()
    )


def event_detail(request, slug):
    """One event: its dates, room and address, seats left, and how to register."""
    event = selectors.event_public(slug=slug)
    now = timezone.now()
    mine = _my_registration(request, event)
    user = request.user if request.user.is_authenticated else None
    form = VisitorRegistrationForm(request.POST or None) if user is None else None
    if request.method == "POST" and (user is not None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            registration = services.registration_create(
                event=event,
                user=user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                organisation=data.get("organisation", ""),
                language=get_language() or "fr",
                company=acting_company(request) if user is not None else None,
            )
        except ValidationError as exc:
            if form is not None and "already_registered" in refusals.codes(exc):
                # As for a new registration: the page never tells who is registered.
                messages.success(
                    request,
                    _("Almost done: open the link we sent to %(email)s within 24 hours.")
                    % {"email": data["email"]},
                )
                return redirect("events:detail", slug=event.slug)
            if form is not None:
                refusals.add_to_form(form, exc)
            else:
                messages.error(request, refusals.text(exc))
                return redirect("events:detail", slug=event.slug)
        else:
            if registration.status == RegistrationStatus.PENDING:
                messages.success(
                    request,
                    _("Almost done: open the link we sent to %(email)s within 24 hours.")
                    % {"email": registration.email},
                )
            elif registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You are registered: your ticket is below."))
            else:
                messages.info(request, _("The event is full: you are on the waiting list."))
            if user is not None:
                return redirect("events:my_events")
            return redirect("events:detail", slug=event.slug)
    refusal = services.registration_refusal(event, user=user, now=now)
    # A person of several companies registers (and is billed) for the one they act for.
    acting_for = acting_company(request) if user is not None and not mine else None
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "mine": mine,
            "acting_for": acting_for if len(getattr(request, "portal_companies", [])) > 1 else None,
            "form": form,
            "refusal": refusals.text(refusal) if refusal else "",
        },
    )


def event_ics(request, slug):
    event = selectors.event_public(slug=slug)
    return ical.ical_response(ical.event_calendar(event), f"{event.slug}.ics")


def site_feed(request, site_slug):
    """A site's events as a public iCalendar feed (no personal data in it)."""
    site, events = selectors.site_feed_events(site_slug=site_slug)
    return ical.ical_response(ical.site_calendar(site, events), f"events-{site.slug}.ics")


def confirm(request, token):
    """A visitor's double opt-in: the link shows a button; the POST confirms."""
    if request.method == "POST":
        try:
            registration = services.registration_confirm_email(token=token)
        except ValidationError as exc:
            return render(
                request, "events/confirm.html", {"refusal": refusals.text(exc)}, status=400
            )
        return redirect("events:ticket", token=services.ticket_token(registration))
    return render(request, "events/confirm.html", {"token": token})


def _qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(scale=5, omitsize=False)


def ticket(request, token):
    """The ticket at its signed address: whoever holds the code sees it (it is the ticket)."""
    try:
        value = services.ticket_value(token)
    except ValidationError as exc:
        raise Http404 from exc
    registration = get_object_or_404(
        Registration.objects.select_related("event__site", "event__room"),
        pk=value[1],
        event_id=value[0],
    )
    return render(
        request,
        "events/ticket.html",
        {
            "registration": registration,
            "event": registration.event,
            "qr": _qr_svg(token) if registration.status == RegistrationStatus.CONFIRMED else "",
            "token": token,
            "position": services.waiting_position(registration),
        },
    )


# --- Portal -------------------------------------------------------------------------------


@login_required
def my_events(request):
    """The person's registrations, with tickets and a cancel button where allowed."""
    now = timezone.now()
    page = paginate(request, selectors.my_registrations(user=request.user), 20)
    for registration in page:
        registration.can_cancel = (
            services.registration_cancel_refusal(registration, now=now) is None
        )
        registration.token = services.ticket_token(registration)
    proposals = selectors.my_proposals(user=request.user)
    return render(
        request,
        "events/my_events.html",
        {"page": page, "proposals": proposals, "may_propose": bool(_proposing_companies(request))},
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = access.get_object_or_404(
        Registration.objects.select_related("event__site").filter(user=request.user),
        request.user,
        "events.change_registration",
        pk=pk,
    )
    refusals.attempt(
        request,
        lambda: services.registration_cancel(actor=request.user, registration=registration),
        done=_("Your registration is cancelled."),
    )
    return redirect("events:my_events")


def _proposing_companies(request) -> list[Company]:
    ids = access.company_ids(request.user, "events.add_event")
    return list(
        Company.objects.filter(
            pk__in=ids, home_site__isnull=False, status=CompanyStatus.RESIDENT
        ).select_related("home_site")
    )


@login_required
def propose(request):
    """A company's admin proposes an event at the company's site; staff approve it."""
    companies = _proposing_companies(request)
    access.require(bool(companies))
    company = companies[0]
    form = ProposalForm(request.POST or None, site=company.home_site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_create(
                actor=request.user,
                company=company,
                room=data["room"],
                title=data["title"],
                kind=data["kind"],
                language=data["language"],
                summary=data["summary"],
                description=data["description"],
                dates=data["dates"],
                capacity=data["capacity"],
                audience=data["audience"],
                program=data["program"],
            )
        except ValidationError as exc:
            refusals.add_to_form(form, exc)
        else:
            messages.success(
                request, _("Thank you: the staff of the site will review your proposal.")
            )
            return redirect("events:my_events")
    return render(request, "events/propose.html", {"form": form, "company": company})


# --- Staff ------------------------------------------------------------------------------


@login_required
def checkin(request, slug):
    """The phone-sized check-in page: scan a ticket or search a name; live counts."""
    event = selectors.staff_event(user=request.user, slug=slug)
    form = CheckInForm(request.POST or None)
    search = request.GET.get("q", "")[:100]
    if request.method == "POST":
        pk = request.POST.get("registration", "")
        try:
            if pk.isdecimal():
                person = get_object_or_404(event.registrations.all(), pk=int(pk))
                person, already = services.registration_check_in(
                    actor=request.user, event=event, registration=person
                )
            elif form.is_valid():
                person, already = services.registration_check_in(
                    actor=request.user, event=event, token=form.cleaned_data["code"]
                )
            else:
                person = None
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, refusals.text(exc))
        else:
            if person is not None:
                if already:
                    messages.warning(
                        request,
                        _("%(name)s was already checked in at %(time)s.")
                        % {
                            "name": person.name,
                            "time": timezone.localtime(person.checked_in_at).strftime("%H:%M"),
                        },
                    )
                else:
                    messages.success(request, _("Welcome, %(name)s!") % {"name": person.name})
                return redirect(
                    f"{request.path}?{urlencode({'q': search})}" if search else request.path
                )
    people = selectors.attendees(event=event, search=search) if search else None
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "form": CheckInForm() if request.method == "POST" else form,
            "counts": selectors.checkin_counts(event=event),
            "search": search,
            "people": people[:30] if people is not None else None,
            "may_check_in": access.at_site(
                request.user, "events.change_registration", event.site_id
            ),
        },
    )


@login_required
def export(request, slug):
    """The attendee list as CSV, for the staff of the event's site."""
    event = selectors.staff_event(user=request.user, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with its mark
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("E-mail"), _("Organisation"), _("Status"), _("Registered"), _("Checked in")]
    )
    for row in selectors.attendees(event=event):
        writer.writerow(
            [
                _safe(row.name),
                _safe(row.email),
                _safe(row.organisation),
                row.get_status_display(),
                timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(row.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if row.checked_in_at
                else "",
            ]
        )
    return response


def _safe(value: str) -> str:
    """No spreadsheet formula from a registrant's text (CSV injection)."""
    return inert(value)
