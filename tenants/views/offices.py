"""The offices area in the portal (applications, residency, attestations) and /verify/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from technopark import access, refusals
from technopark.paging import paginate
from technopark.uploads import file_response, pdf_response
from tenants import documents, rent
from tenants.forms.offices import ApplicationForm, AttestationIssueForm, DocumentsForm
from tenants.models import (
    ApplicationDocument,
    ApplicationStatus,
    Attestation,
)
from tenants.models.offices import OPEN_APPLICATION
from tenants.selectors import offices as selectors
from tenants.services import offices as services
from tenants.views.base import portal_view, require_perm

PER_PAGE = 25


# --- Applications ----------------------------------------------------------------------------


@portal_view
def application_list(request):
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    applications = selectors.application_list_for_company(
        request.company, request.user, status=status
    )
    page = paginate(request, applications, PER_PAGE)
    return render(
        request,
        "tenants/offices/application_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "query": f"status={status}" if status else "",
            "can_apply": access.allows(
                request.user, "tenants.add_officeapplication", request.company
            ),
        },
    )


@portal_view
def application_new(request):
    """The application form (``portal:office_apply``), where sign-up leads."""
    require_perm(request, "tenants.add_officeapplication")
    form = ApplicationForm(request.POST or None, request.FILES or None, company=request.company)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                company=request.company,
                site=data["site"],
                user=request.user,
                area_wanted_m2=data["area_wanted_m2"],
                team_size=data["team_size"],
                program_wanted=data["program_wanted"],
                pitch=data["pitch"],
                documents=data["documents"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your application is sent to the allocation committee of %(site)s.")
                % {"site": application.site},
            )
            return redirect("portal:application_detail", pk=application.pk)
    return render(
        request, "tenants/offices/application_form.html", {"form": form, "rent_rule": rent.RULE}
    )


@portal_view
def application_detail(request, pk):
    application = selectors.application_get_for_company(request.company, request.user, pk)
    is_open = application.status in OPEN_APPLICATION
    can_change = access.allows(request.user, "tenants.change_officeapplication", application)
    can_upload = is_open and access.allows(
        request.user, "tenants.add_applicationdocument", request.company
    )
    return render(
        request,
        "tenants/offices/application_detail.html",
        {
            "application": application,
            "can_withdraw": is_open and can_change,
            "documents_form": DocumentsForm() if can_upload else None,
        },
    )


@require_POST
@portal_view
def application_withdraw(request, pk):
    application = selectors.application_get_for_company(
        request.company, request.user, pk, "tenants.change_officeapplication"
    )
    refusals.attempt(
        request,
        lambda: services.application_withdraw(application=application, user=request.user),
        done=_("Your application is withdrawn."),
    )
    return redirect("portal:application_detail", pk=application.pk)


@require_POST
@portal_view
def application_documents_add(request, pk):
    application = selectors.application_get_for_company(request.company, request.user, pk)
    require_perm(request, "tenants.add_applicationdocument")
    form = DocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.application_document_add(
                application=application, user=request.user, documents=form.cleaned_data["documents"]
            )
        except ValidationError as error:
            messages.error(request, refusals.text(error))
        else:
            messages.success(
                request,
                ngettext("%(count)d document added.", "%(count)d documents added.", len(added))
                % {"count": len(added)},
            )
    else:
        for error in form.errors.get("documents", []):
            messages.error(request, error)
    return redirect("portal:application_detail", pk=application.pk)


@portal_view
def application_document(request, pk, document_pk):
    document = access.get_object_or_404(
        ApplicationDocument.objects.filter(application__company=request.company),
        request.user,
        "tenants.view_applicationdocument",
        pk=document_pk,
        application_id=pk,
    )
    return file_response(document.file, download_name=document.original_name)


# --- Residency -------------------------------------------------------------------------------


@portal_view
def residency(request):
    """The company's contracts: the running ones first (offices, firm end, today's tier and
    monthly rent), then those to come and those over."""
    today = timezone.localdate()
    contracts = selectors.residencies_for_portal(request.company, request.user, today=today)
    return render(
        request,
        "tenants/offices/residency.html",
        {"residencies": contracts, "today": today, "rent_rule": rent.RULE},
    )


# --- Attestations ----------------------------------------------------------------------------


def _issue_form(request, data=None):
    if not access.allows(request.user, "tenants.add_attestation", request.company):
        return None
    return AttestationIssueForm(
        data, company=request.company, user=request.user, today=timezone.localdate()
    )


@portal_view
def attestation_list(request):
    attestations = selectors.attestation_list_for_company(request.company, request.user)
    page = paginate(request, attestations, PER_PAGE)
    today = timezone.localdate()
    for attestation in page.object_list:
        attestation.state = selectors.attestation_state(attestation, today=today)
    form = _issue_form(request)
    return render(
        request,
        "tenants/offices/attestation_list.html",
        {
            "page": page,
            "form": form if form is not None and form.fields["residency"].queryset else None,
            "can_issue": form is not None,
        },
    )


@require_POST
@portal_view
def attestation_issue(request):
    form = _issue_form(request, request.POST)
    access.require(form is not None)
    if form.is_valid():
        refusals.attempt(
            request,
            lambda: services.attestation_issue(
                residency=form.cleaned_data["residency"], user=request.user
            ),
            done=_("The attestation is ready: download it below."),
        )
    else:
        messages.error(request, _("Choose one of your running residencies."))
    return redirect("portal:attestation_list")


@portal_view
def attestation_pdf(request, pk):
    """The PDF of a valid attestation; a revoked, expired or ended one is no longer served."""
    attestation = selectors.attestation_for_pdf(
        Attestation.objects.filter(company=request.company), request.user, pk
    )
    if selectors.attestation_state(attestation) != selectors.VALID:
        raise Http404
    language = documents.attestation_language(request.GET.get("lang"), request.LANGUAGE_CODE)
    return pdf_response(
        documents.attestation_pdf(attestation, language),
        filename=documents.attestation_filename(attestation, language),
    )


# --- Public verification -------------------------------------------------------------------


@require_GET
def verify_lookup(request):
    """The box where a person types the code printed on an attestation."""
    code = "".join(request.GET.get("code", "").split())[:64]
    if code:
        return redirect("verify:attestation", code)
    return render(request, "tenants/verify_lookup.html")


@never_cache
def verify(request, code):
    """Anyone holding an attestation checks it here: valid, revoked, expired, ended (the
    residency is over), or unknown (404)."""
    attestation = selectors.attestation_by_code(code)
    if attestation is None:
        return render(request, "tenants/verify.html", {"code": code}, status=404)
    today = timezone.localdate()
    residency = attestation.residency
    return render(
        request,
        "tenants/verify.html",
        {
            "code": code,
            "attestation": attestation,
            "state": selectors.attestation_state(attestation, today=today),
            "residency": residency,
            "residency_over": residency.end is not None and residency.end <= today,
            "offices": [lease.office for lease in residency.office_leases.all()],
        },
    )
