"""One way to refuse: services raise ``ValidationError`` with a code; views show it.

A service refuses with :func:`refusal` (a message for the person, a ``code``
that tests and callers branch on, and the form field it is about when there
is one). Views put it on a form with :func:`add_to_form`, or in a message with
:func:`text`. Nobody branches on a message's text.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form


def refusal(message, *, code: str, field: str | None = None, params=None) -> ValidationError:
    """The error a service raises when its rule refuses a change."""
    error = ValidationError(message, code=code, params=params)
    return ValidationError({field: error}) if field else error


def codes(error: ValidationError) -> set[str | None]:
    """Every code in ``error`` (for callers and tests that branch on the reason)."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def text(error: ValidationError) -> str:
    """The refusal as one sentence or more, for a message on the next page."""
    return " ".join(error.messages)


def add_to_form(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on ``form``: on its field where it names one the form has."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def attempt(request, act: Callable[[], object], *, done: str) -> bool:
    """A one-click action: run ``act`` (one service call). Its refusal becomes an
    error message on the next page, success the message ``done``. True if done."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, text(error))
        return False
    messages.success(request, done)
    return True
