"""Tags for e-mail templates: links that carry a secret are made when the e-mail is."""

from django import template
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

register = template.Library()


@register.simple_tag
def password_reset_link(user) -> str:
    """The address where ``user`` chooses a new password, valid ``PASSWORD_RESET_TIMEOUT``.

    The token is made here, by the job that sends the e-mail, so it is never
    stored in the job's arguments (which staff can read in the admin).
    """
    path = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return settings.SITE_URL + path


@register.simple_tag(takes_context=True)
def digest_line(context, entry) -> dict:
    """One notice of a digest: the subject its own e-mail would have had, and its link."""
    from technopark import mail

    try:
        values = mail.unpack(entry.context)
    except ObjectDoesNotExist:
        return {"subject": "", "url": ""}  # what the notice was about is gone
    subject = render_to_string(
        f"emails/{entry.template}_subject.txt",
        {"user": context.get("user"), "site_url": settings.SITE_URL, **values},
        using="text",
    )
    path = values.get("path", "")
    return {"subject": " ".join(subject.split()), "url": settings.SITE_URL + path if path else ""}
