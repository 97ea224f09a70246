"""The company area: sign-up, profile, team and invitations, the public directory."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from technopark import access, refusals
from technopark.i18n import current_language
from technopark.paging import paginate, query_without
from technopark.uploads import file_response
from tenants.forms.company import (
    AcceptInvitationForm,
    CompanyProfileForm,
    DirectoryFilterForm,
    InvitationForm,
    RoleForm,
    SignUpForm,
)
from tenants.models import CompanyRole, Invitation, Membership
from tenants.selectors import company as selectors
from tenants.services import company as company_services
from tenants.services import team as team_services
from tenants.views.base import SESSION_KEY, companies_of, portal_view, require_perm

BACKEND = "technopark.auth_backends.RoleBackend"
SIGNUP_EMAIL_KEY = "signup_email"


def signup(request):
    """A founder opens an account for themselves and their company, then confirms the address."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company_services.company_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password2"],
                language=current_language(),
                company_fields=form.company_fields(),
            )
        except ValidationError as error:
            refusals.add_to_form(form, error)
        else:
            # The same answer whether or not the address already had an account.
            request.session[SIGNUP_EMAIL_KEY] = form.cleaned_data["email"]
            return redirect("portal:signup_sent")
    return render(request, "tenants/company/signup.html", {"form": form})


def signup_sent(request):
    """Where a sign-up lands: the address it was sent to, and what to do next."""
    return render(
        request,
        "tenants/company/signup_sent.html",
        {"email": request.session.get(SIGNUP_EMAIL_KEY, "")},
    )


def signup_confirm(request, uidb64, token):
    """The link of the confirmation e-mail: a button opens the account (mail scanners only GET)."""
    if company_services.signup_pending_user(uidb64, token) is None:
        return render(request, "tenants/company/signup_confirm.html", {"valid": False}, status=404)
    if request.method == "POST":
        try:
            user = company_services.company_sign_up_confirm(uidb64=uidb64, token=token)
        except ValidationError:
            return render(
                request, "tenants/company/signup_confirm.html", {"valid": False}, status=404
            )
        request.session.pop(SIGNUP_EMAIL_KEY, None)
        login(request, user, backend=BACKEND)
        company = companies_of(user)[0]
        messages.success(
            request,
            _("Welcome, %(company)s is registered. Tell us about the office you need.")
            % {"company": company},
        )
        return redirect("portal:office_apply")
    return render(request, "tenants/company/signup_confirm.html", {"valid": True})


@portal_view
def company_profile(request):
    return render(
        request,
        "tenants/company/profile.html",
        {
            "company": request.company,
            "can_edit": access.allows(request.user, "tenants.change_company", request.company),
        },
    )


@portal_view
def company_edit(request):
    require_perm(request, "tenants.change_company")
    company = request.company
    form = CompanyProfileForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST" and form.is_valid():
        company_services.company_update_profile(
            company=company,
            actor=request.user,
            fields={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("The company's profile is saved."))
        return redirect("portal:company")
    return render(request, "tenants/company/edit.html", {"form": form, "company": company})


@portal_view
def company_logo(request):
    if not request.company.logo:
        raise Http404
    return file_response(request.company.logo, download_name="logo", as_attachment=False)


@require_POST
@portal_view
def switch_company(request):
    """Act for another of one's companies in the portal."""
    wanted = request.POST.get("company", "")
    company = next((c for c in companies_of(request.user) if str(c.pk) == wanted), None)
    if company is None:
        raise Http404
    request.session[SESSION_KEY] = company.pk
    return redirect("portal:home")


@portal_view
def team(request):
    company = request.company
    can_manage = access.allows(request.user, "tenants.manage_team", company)
    return render(
        request,
        "tenants/company/team.html",
        {
            "company": company,
            "members": selectors.team_of(company, request.user),
            "invitations": selectors.invitations_pending(company, request.user)
            if can_manage
            else [],
            "can_manage": can_manage,
            "roles": CompanyRole.choices,
            "invite_form": InvitationForm() if can_manage else None,
        },
    )


@require_POST
@portal_view
def team_invite(request):
    require_perm(request, "tenants.manage_team")
    form = InvitationForm(request.POST)
    if form.is_valid():
        refusals.attempt(
            request,
            lambda: team_services.invitation_send(
                company=request.company,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            ),
            done=_("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("portal:team")


def _team_object(request, queryset, pk):
    return access.get_object_or_404(queryset.filter(company=request.company), request.user, pk=pk)


@require_POST
@portal_view
def invitation_revoke(request, pk):
    require_perm(request, "tenants.manage_team")
    invitation = _team_object(request, Invitation.objects.all(), pk)
    refusals.attempt(
        request,
        lambda: team_services.invitation_revoke(invitation=invitation, actor=request.user),
        done=_("The invitation is withdrawn."),
    )
    return redirect("portal:team")


@require_POST
@portal_view
def member_role(request, pk):
    require_perm(request, "tenants.manage_team")
    membership = _team_object(request, Membership.objects.select_related("company"), pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("portal:team")
    refusals.attempt(
        request,
        lambda: team_services.membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        ),
        done=_("The role is changed."),
    )
    return redirect("portal:team")


@require_POST
@portal_view
def member_remove(request, pk):
    membership = _team_object(request, Membership.objects.select_related("company", "user"), pk)
    leaving = membership.user_id == request.user.pk
    if not leaving:
        require_perm(request, "tenants.manage_team")
    try:
        team_services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, refusals.text(error))
        return redirect("portal:team")
    if leaving:
        messages.success(request, _("You left %(company)s.") % {"company": request.company})
        return redirect("home")
    messages.success(
        request, _("%(person)s left the team.") % {"person": membership.user.get_full_name()}
    )
    return redirect("portal:team")


def invitation_accept(request, token):
    """The page an invitation link opens: join, as oneself or with a new account."""
    invitation = team_services.invitation_from_token(token)
    if invitation is None or not team_services.invitation_is_usable(invitation):
        return render(request, "tenants/company/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    existing = user is None and selectors.account_exists(invitation.email)
    form = None
    if user is None and not existing:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()) and not existing:
        try:
            with transaction.atomic():
                membership = team_services.invitation_accept(
                    invitation=invitation,
                    user=user,
                    full_name=form.cleaned_data["full_name"] if form else "",
                    password=form.cleaned_data["password2"] if form else "",
                    language=current_language(),
                )
        except ValidationError as error:
            messages.error(request, refusals.text(error))
        else:
            if user is None:
                login(request, membership.user, backend=BACKEND)
            request.session[SESSION_KEY] = membership.company_id
            messages.success(
                request,
                _("Welcome to the team of %(company)s.") % {"company": membership.company},
            )
            return redirect("portal:home")
    return render(
        request,
        "tenants/company/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing, "token": token},
    )


def directory(request):
    """The public directory of companies that chose to be listed."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    companies = selectors.directory(
        site_slug=filters.get("site", ""),
        sector=filters.get("sector", ""),
        search=filters.get("q", ""),
    )
    page = paginate(request, companies, 24)
    return render(
        request,
        "tenants/directory/list.html",
        {"form": form, "page": page, "query": query_without(request, "page")},
    )


def directory_detail(request, pk):
    return render(
        request, "tenants/directory/detail.html", {"company": selectors.directory_entry(pk)}
    )


def directory_logo(request, pk):
    company = selectors.directory_entry(pk)
    if not company.logo:
        raise Http404
    return file_response(company.logo, download_name="logo", as_attachment=False)
