"""E-mail to people, each in the language of their account.

Templates live in ``templates/emails/<name>_subject.txt`` and
``templates/emails/<name>.txt``. Mail is sent after the surrounding transaction
commits, so a rolled-back change never announces itself.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render(user, template: str, context: dict) -> tuple[str, str]:
    """Subject and body of ``template`` for ``user``, in their language."""
    with translation.override(user.language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}.txt", context)
    return " ".join(subject.split()), body


def send_to(users, template: str, context: dict) -> None:
    """Send ``template`` to each of ``users`` (with an e-mail address) after commit."""
    messages = [(user.email, *render(user, template, context)) for user in users if user.email]

    def deliver():
        for email, subject, body in messages:
            send_mail(subject, body, None, [email])

    transaction.on_commit(deliver)
