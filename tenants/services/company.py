"""Writes about companies: sign-up of a new applicant, profile changes."""

from django.db import IntegrityError, transaction

from technopark import access
from technopark.models import User
from tenants.models import Company, CompanyRole, CompanyStatus, Membership


class CompanyError(Exception):
    """A company change that the rules refuse; the message is for the person."""


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
        raise CompanyError("email")
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language
    )
    try:
        with transaction.atomic():
            company = Company.objects.create(status=CompanyStatus.APPLICANT, **company_fields)
    except IntegrityError as error:
        raise CompanyError("ice") from error
    Membership.objects.create(company=company, user=user, role=CompanyRole.ADMIN)
    return user, company


@transaction.atomic
def company_update_profile(*, company: Company, actor: User, fields: dict) -> Company:
    """Change the profile fields a company's admin may edit (never status or site)."""
    if not access.allows(actor, "tenants.change_company", company):
        raise CompanyError("forbidden")
    editable = set(PROFILE_FIELDS)
    for name, value in fields.items():
        if name not in editable:
            raise CompanyError(f"{name} is not editable from the portal")
        setattr(company, name, value)
    company.full_clean()
    company.save()
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
