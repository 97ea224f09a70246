"""The one-stop shop in the tenant portal: catalogue, requests and their threads, appointments.

Every object is fetched through the gate and within ``request.company``:
another company's request, file or booking is a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from technopark import access, refusals
from technopark.paging import paginate
from technopark.uploads import file_response
from tenants.forms.requests import (
    AppointmentBookForm,
    MessageForm,
    RequestCreateForm,
    RequestFilterForm,
    SlotFilterForm,
)
from tenants.selectors import requests as selectors
from tenants.services import appointments
from tenants.services import requests as services
from tenants.views.base import portal_view, require_perm

PER_PAGE = 25
SLOTS_PER_PAGE = 50


def _query(form) -> str:
    """The list's filters as a query string, for the pagination links."""
    if not form.is_bound or not form.is_valid():
        return ""
    kept = {name: value for name, value in form.data.items() if name != "page" and value}
    return urlencode(kept)


@portal_view
def service_list(request):
    """The catalogue of the company's home site."""
    company = request.company
    return render(
        request,
        "tenants/requests/service_list.html",
        {
            "company": company,
            "services": selectors.service_catalogue(company=company),
            "can_file": access.allows(request.user, services.ADD_REQUEST, company),
        },
    )


@portal_view
def request_list(request):
    """The company's requests, newest first, filtered by status or overdue."""
    require_perm(request, "tenants.view_servicerequest")
    form = RequestFilterForm(request.GET or None)
    requests = selectors.request_list_for_company(
        user=request.user, company=request.company, **form.filters()
    )
    page = paginate(request, requests, PER_PAGE)
    return render(
        request,
        "tenants/requests/request_list.html",
        {
            "form": form,
            "page": page,
            "query": _query(form),
            "can_file": access.allows(request.user, services.ADD_REQUEST, request.company),
        },
    )


@portal_view
def request_create(request):
    """File a request for one of the site's services, with files."""
    require_perm(request, services.ADD_REQUEST)
    company = request.company
    form = RequestCreateForm(
        request.POST or None,
        request.FILES or None,
        company=company,
        initial={"service": request.GET.get("service")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_request = services.request_create(
                user=request.user,
                company=company,
                service=form.cleaned_data["service"],
                description=form.cleaned_data["description"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request #%(number)d is filed; expect an answer by %(deadline)s.")
                % {
                    "number": service_request.pk,
                    "deadline": date_format(service_request.deadline, "DATE_FORMAT"),
                },
            )
            return redirect("portal:request_detail", service_request.pk)
    return render(request, "tenants/requests/request_form.html", {"form": form})


def _detail(request, service_request, form, *, status=200):
    thread = selectors.request_thread(service_request=service_request, user=request.user)
    return render(
        request,
        "tenants/requests/request_detail.html",
        {
            "service_request": service_request,
            "form": form,
            "can_reply": service_request.is_open
            and access.allows(request.user, services.ADD_MESSAGE, request.company),
            "appointments": selectors.booking_list_for_company(
                user=request.user, company=request.company
            ).filter(request=service_request),
            "now": timezone.now(),
            **thread,
        },
        status=status,
    )


def _reply_form(service_request, data=None, files=None):
    return MessageForm(
        data,
        files,
        action=reverse("portal:request_reply", args=[service_request.pk]),
        submit=_("Send"),
    )


@portal_view
def request_detail(request, pk):
    """One request: its status, deadline, thread, events, files and a reply form."""
    service_request = selectors.request_get_for_company(
        user=request.user, company=request.company, pk=pk
    )
    return _detail(request, service_request, _reply_form(service_request))


@require_POST
@portal_view
def request_reply(request, pk):
    """The company writes in the thread; a request waiting for it goes back in progress."""
    service_request = selectors.request_get_for_company(
        user=request.user, company=request.company, pk=pk
    )
    require_perm(request, services.ADD_MESSAGE)
    form = _reply_form(service_request, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_reply_as_company(
                author=request.user,
                service_request=service_request,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("portal:request_detail", service_request.pk)
    return _detail(request, service_request, form)


@portal_view
def request_attachment(request, pk, attachment_pk):
    """A file of one of the company's requests, for the company's people only."""
    attachment = selectors.attachment_get(
        user=request.user, request_pk=pk, pk=attachment_pk, company=request.company
    )
    return file_response(attachment.file, download_name=attachment.original_name)


@portal_view
def appointment_list(request):
    """The company's appointments, the ones to come first; a live one to come can be cancelled."""
    require_perm(request, "tenants.view_appointmentbooking")
    bookings = selectors.booking_list_for_company(user=request.user, company=request.company)
    page = paginate(request, bookings, PER_PAGE)
    return render(
        request,
        "tenants/requests/appointment_list.html",
        {
            "page": page,
            "now": timezone.now(),
            "can_cancel": access.allows(request.user, appointments.CHANGE_BOOKING, request.company),
        },
    )


@portal_view
def appointment_book(request):
    """The free slots to come at the company's site; posting one books it."""
    require_perm(request, appointments.ADD_BOOKING)
    company = request.company
    for_request = None
    if request.GET.get("request", "").isdecimal():
        for_request = (
            selectors.open_requests_for(user=request.user, company=company)
            .filter(pk=request.GET["request"])
            .first()
        )
    filters = SlotFilterForm(request.GET or None, company=company)
    service = for_request.service if for_request else filters.chosen_service()
    form = AppointmentBookForm(request.POST or None, company=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appointments.appointment_book(
                user=request.user,
                company=company,
                slot=form.cleaned_data["slot"],
                service_request=form.cleaned_data["for_request"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your appointment is booked."))
            return redirect("portal:appointment_list")
    slots = selectors.slot_list_free(company=company, service=service)
    page = paginate(request, slots, SLOTS_PER_PAGE)
    return render(
        request,
        "tenants/requests/appointment_book.html",
        {
            "filters": filters,
            "form": form,
            "page": page,
            "query": _query(filters),
            "for_request": for_request,
        },
    )


@require_POST
@portal_view
def appointment_cancel(request, pk):
    """Free a booked slot that has not started yet."""
    booking = selectors.booking_get_for_company(
        user=request.user, company=request.company, pk=pk, perm=appointments.CHANGE_BOOKING
    )
    refusals.attempt(
        request,
        lambda: appointments.appointment_cancel(user=request.user, booking=booking),
        done=_("Your appointment is cancelled."),
    )
    return redirect("portal:appointment_list")
