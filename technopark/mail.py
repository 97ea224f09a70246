"""E-mail to people, each in the language of their account.

Templates live in ``templates/emails/<name>_subject.txt`` and
``templates/emails/<name>.txt``, rendered by the ``text`` template engine
(plain text: no HTML escaping). Mail is sent after the surrounding transaction
commits, so a rolled-back change never announces itself, and a mail server
failure is logged, never turned into an error page for a change already saved.
"""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
_state = threading.local()


def render(user, template: str, context: dict) -> tuple[str, str]:
    """Subject and body of ``template`` for ``user``, in their language."""
    with translation.override(user.language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context, using="text")
        body = render_to_string(f"emails/{template}.txt", context, using="text")
    return " ".join(subject.split()), body


def send_to(users, template: str, context: dict) -> None:
    """Send ``template`` to each of ``users`` (with an e-mail address) after commit."""
    if getattr(_state, "muted", 0):
        return
    messages = [
        EmailMessage(*render(user, template, context), to=[user.email])
        for user in users
        if user.email
    ]
    if not messages:
        return

    def deliver():
        try:
            with get_connection() as connection:
                connection.send_messages(messages)
        except Exception:
            logger.exception("Could not send %d %r e-mails", len(messages), template)

    transaction.on_commit(deliver)


@contextmanager
def muted():
    """Send nothing inside this block (the demo builds a month of history silently)."""
    _state.muted = getattr(_state, "muted", 0) + 1
    try:
        yield
    finally:
        _state.muted -= 1
