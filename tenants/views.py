"""The tenant portal: what a company's people see of their company."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from technopark import access
from tenants import selectors


@login_required
def portal_home(request):
    access.require(access.is_tenant(request.user))
    memberships = selectors.membership_list_for(request.user)
    return render(request, "tenants/portal_home.html", {"memberships": memberships})
