"""Writes about companies: sign-up of a new applicant, profile changes."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from technopark import access
from technopark.models import User
from technopark.refusals import refusal
from tenants.models import Company, CompanyRole, CompanyStatus, Membership, ResidencyStatus

TAKEN = _("This value was taken a moment ago; choose another.")


@transaction.atomic
def company_sign_up(
    *,
    email: str,
    full_name: str,
    password: str,
    language: str,
    company_fields: dict,
) -> tuple[User, Company]:
    """Create a person, their company (an applicant) and make them its admin.

    Everything or nothing: an e-mail or ICE already taken leaves no trace.
    """
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise refusal(TAKEN, code="email_taken", field="email")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name, language=language
            )
    except IntegrityError as error:  # the same address signed up a moment ago
        raise refusal(TAKEN, code="email_taken", field="email") from error
    try:
        with transaction.atomic():
            company = Company.objects.create(status=CompanyStatus.APPLICANT, **company_fields)
    except IntegrityError as error:
        raise refusal(TAKEN, code="ice_taken", field="ice") from error
    Membership.objects.create(company=company, user=user, role=CompanyRole.ADMIN)
    return user, company


@transaction.atomic
def company_update_profile(*, company: Company, actor: User, fields: dict) -> Company:
    """Change the profile fields a company's admin may edit (never status or site)."""
    if not access.allows(actor, "tenants.change_company", company):
        raise PermissionDenied
    editable = set(PROFILE_FIELDS)
    for name, value in fields.items():
        if name not in editable:
            raise ValueError(f"{name} is not editable from the portal")
        # A form's value (a file upload, or False to clear a logo) goes through
        # the field itself, as ModelForm.save() would.
        Company._meta.get_field(name).save_form_data(company, value)  # type: ignore[union-attr]  # profile fields are concrete
    company.full_clean()
    # Only these columns: a status the committee changes meanwhile is kept.
    company.save(update_fields=list(fields))
    return company


#: What a company's admin edits in the portal; the rest is staff's.
PROFILE_FIELDS = (
    "legal_name",
    "trade_name",
    "legal_form",
    "ice",
    "rc_number",
    "rc_court",
    "tax_id",
    "sector",
    "stage",
    "founded_on",
    "website",
    "description",
    "logo",
    "public_profile",
)


@transaction.atomic
def company_mark_alumni(*, company: Company, actor: User) -> bool:
    """Record that a resident company has left; refused while a contract still runs.

    Returns whether the company changed (only residents become alumni).
    """
    company = Company.objects.select_for_update(no_key=True).get(pk=company.pk)
    if not access.allows(actor, "tenants.change_company", company, via=access.VIA_SITE):
        raise PermissionDenied
    if company.status != CompanyStatus.RESIDENT:
        return False
    if company.residencies.filter(status=ResidencyStatus.ACTIVE).exists():
        raise refusal(
            _("%(company)s still has a running contract: end it first."),
            code="running_contract",
            params={"company": company},
        )
    company.status = CompanyStatus.ALUMNI
    company.save(update_fields=["status"])
    return True
