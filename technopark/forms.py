from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from technopark import mail


def form_helper(label=None, *, method: str = "post", action: str | None = None) -> FormHelper:
    """The crispy helper of a form: its method, its action, one submit button named ``label``."""
    helper = FormHelper()
    helper.form_method = method
    if action:
        helper.form_action = action
    if label is not None:
        helper.add_input(Submit("submit", label))
    return helper


class DateInput(forms.DateInput):
    """The browser's date picker; the value written as ISO, which the picker reads."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs=attrs, format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    """The browser's time picker, in steps of ``step_minutes``."""

    input_type = "time"

    def __init__(self, step_minutes: int = 15, **kwargs):
        super().__init__(format="%H:%M", attrs={"step": step_minutes * 60}, **kwargs)


class LoginForm(AuthenticationForm):
    """Log in by e-mail address; case and surrounding spaces do not matter."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.helper = form_helper(_("Log in"))

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the e-mail is a job, in the language of the person's account.

    The job makes the link's token when it writes the e-mail
    (``emails/password_reset.txt``), so no token waits in the queue.
    """

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        mail.send_to([context["user"]], "password_reset", {})


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The new password of a reset link; it also lifts a login lock on the account.

    Whoever can read the account's mailbox proves they own it: the failures
    counted against the account (from any address) are forgotten.
    """

    def save(self, commit=True):
        from axes.utils import reset

        user = super().save(commit)
        reset(username=user.email.strip().lower())
        return user
