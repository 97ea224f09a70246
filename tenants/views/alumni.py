"""The alumni's yearly check-in page: opened by a signed link, no account needed."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from technopark import refusals
from tenants.forms.alumni import CheckInForm
from tenants.services import alumni as services


def check_in(request, token):
    """Answer this year's check-in once; an altered, expired or used link says so (404/410)."""
    opened = services.check_in_from_token(token)
    if opened.check_in is None:
        status = 410 if opened.problem == "expired" else 404
        return render(
            request, "tenants/alumni/check_in_invalid.html", {"problem": opened.problem},
            status=status,
        )  # fmt: skip
    check_in = opened.check_in
    if check_in.answered_on is not None:
        return render(request, "tenants/alumni/check_in_done.html", {"check_in": check_in})
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_in = services.alumni_check_in_answer(check_in=check_in, **form.answer())
        except ValidationError as error:
            form.add_error(None, refusals.text(error))
        else:
            return render(
                request,
                "tenants/alumni/check_in_done.html",
                {"check_in": check_in, "thanks": True},
            )
    return render(request, "tenants/alumni/check_in.html", {"check_in": check_in, "form": form})
