"""A person's choice of how notices about work waiting reach them (``/accounts/notices/``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from technopark import services
from technopark.models import NotificationMode


class NotificationModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Notices about work waiting for me"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Approvals waiting, requests nobody took or past their deadline, late KPI reports. "
            "The digest comes each morning."
        ),
    )


@login_required
def notification_settings(request):
    """Show and change how this person's notices reach them."""
    form = NotificationModeForm(
        request.POST or None, initial={"mode": request.user.notification_mode}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_notification_mode(user=request.user, mode=form.cleaned_data["mode"])
        except ValidationError as error:
            form.add_error("mode", error)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("notification_settings")
    return render(
        request,
        "registration/notification_settings.html",
        {"form": form, "heading": _("My notices"), "submit": _("Save")},
    )
