"""The tenant portal's home: the company at a glance."""

from django.shortcuts import render

from tenants.selectors import company as selectors
from tenants.views.base import portal_view


@portal_view
def portal_home(request):
    memberships = selectors.membership_list_for(request.user)
    return render(request, "tenants/portal_home.html", {"memberships": memberships})
