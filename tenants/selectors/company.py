"""Reads of companies and teams."""

from django.db.models import QuerySet

from technopark import access
from tenants.models import Membership


def membership_list_for(user) -> QuerySet[Membership]:
    """The companies ``user`` acts for, with their home sites."""
    return (
        access.scope(Membership.objects.filter(user=user), user)
        .select_related("company__home_site")
        .order_by("company__legal_name")
    )
