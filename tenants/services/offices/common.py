"""What the offices services share: saving with history, who is told, dates in messages."""

import datetime as dt

from django.db.models import QuerySet
from django.utils.formats import date_format

from technopark import access
from technopark.models import User
from tenants.models import Company, Membership


def save(instance, user, **kwargs) -> None:
    """Save a row that keeps history, recording who made the change."""
    instance._history_user = user
    instance.save(**kwargs)


def company_people_with(perm: str, company: Company) -> QuerySet[User]:
    """The active people whose role in ``company`` grants ``perm`` (the gate's role table).

    ``company_people_with("tenants.change_officeapplication", company)`` is its
    admins: those who may act on the application are those told about it.
    """
    members = Membership.objects.filter(company=company, role__in=access.roles_with(perm)).values(
        "user"
    )
    return User.objects.filter(is_active=True, pk__in=members)


def day(value: dt.date) -> str:
    """A date as the reader's locale writes it, for messages (never ISO)."""
    return date_format(value, "SHORT_DATE_FORMAT")
