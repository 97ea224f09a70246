"""E-mail to people, each in the language of their account, delivered by a job.

``send_to`` queues one job per recipient, inside the current transaction
(``technopark.jobs``): a rolled-back change never announces itself, a committed
one is delivered even if the web server dies a moment later, and no request
waits for the mail server. The job carries references, not objects: the
recipient's id, the template's name, and the context with each model instance
turned into its label and primary key. A worker reads them again, renders the
message in the recipient's language and sends it:

* the subject and plain text from ``emails/<name>_subject.txt`` and
  ``emails/<name>.txt`` (the ``text`` template engine: no HTML escaping, so
  "L'Agora & Co" arrives as written);
* an HTML alternative from ``emails/<name>.html`` if there is one, otherwise the
  text inside ``emails/base.html``, under the letterhead of the site the context
  names (the network's when it names none). Links come from ``SITE_URL``.

A mail server that fails is tried again with exponential backoff
(``technopark.tasks.send_email``). Each message is recorded in ``MailDelivery``
under its job's key in the transaction that sends it, so a job that runs twice
(a worker killed after sending, before it could mark the job done) sends once.

Notices about work waiting (``notify``) go by e-mail or into a daily digest, as each
person chose (``User.notification_mode``).
"""

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import get_template, render_to_string, select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from technopark import jobs
from technopark.models import DigestEntry, MailDelivery, Notice, NotificationMode, User

logger = logging.getLogger(__name__)
_state = threading.local()

#: How a model instance travels in a job's arguments: ``{"$model": "sites.site", "pk": 3}``.
MODEL, DATE, DATETIME, DECIMAL = "$model", "$date", "$datetime", "$decimal"

#: Where an object of the context leads to its site, for the letterhead (and the
#: job's ``site_id``, which the jobs' admin scopes by).
_SITE_PATHS = (("site",), ("space", "site"), ("service", "site"), ("desk", "space", "site"))


# --- Queueing ----------------------------------------------------------------------------


def send_to(users: Iterable[User], template: str, context: dict) -> None:
    """Queue ``template`` for each of ``users`` that has an e-mail address (see the module)."""
    if getattr(_state, "muted", 0):
        return
    recipients = [user for user in users if user.email]
    if not recipients:
        return
    get_template(f"emails/{template}.txt", using="text")  # a typo fails here, not in a worker
    packed, site_id = pack(context), site_id_of(context)
    from technopark import tasks  # the tasks module imports this one

    jobs.defer_each(
        tasks.send_email,
        [
            {
                "key": uuid.uuid4().hex,
                "to": recipient_of(user),
                "template": template,
                "context": packed,
                "site_id": site_id,
            }
            for user in recipients
        ],
    )


def notify(users: Iterable[User], template: str, context: dict, *, once: str = "") -> int:
    """Tell people about work waiting for them, by e-mail or in a daily digest as each chose.

    ``once`` names the notice: a notice already given under that name is not
    given again (the scans that find late requests run every hour). Returns how
    many people were told.
    """
    if getattr(_state, "muted", 0):
        return 0
    people = [user for user in users if user.email]
    if not people:
        return 0  # nobody to tell yet: a later scan tells whoever is there then
    if once:
        _, created = Notice.objects.get_or_create(key=once)
        if not created:
            return 0
    by_mail = [user for user in people if user.notification_mode != NotificationMode.DIGEST]
    send_to(by_mail, template, context)
    packed = pack(context)
    DigestEntry.objects.bulk_create(
        DigestEntry(user=user, template=template, context=packed)
        for user in people
        if user.notification_mode == NotificationMode.DIGEST
    )
    return len(people)


@contextmanager
def muted():
    """Send nothing inside this block (the demo builds a month of history silently)."""
    _state.muted = getattr(_state, "muted", 0) + 1
    try:
        yield
    finally:
        _state.muted -= 1


def digests_queue(*, now: dt.datetime) -> int:
    """Gather each person's pending notices into one digest e-mail; returns how many digests.

    Per person, the notices are marked with the digest's key and its e-mail is
    queued in one transaction: a run that stops half-way leaves the others
    pending for the next run, and no notice goes in two digests.
    """
    from technopark import tasks

    people = (
        DigestEntry.objects.filter(digest_key="", created_at__lte=now)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in list(people):
        with transaction.atomic():
            entries = list(
                DigestEntry.objects.select_for_update(skip_locked=True)
                .filter(user_id=user_id, digest_key="", created_at__lte=now)
                .order_by("created_at", "pk")
            )
            if not entries:
                continue
            key = f"digest:{user_id}:{int(now.timestamp())}"
            DigestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
                digest_key=key
            )
            jobs.defer(
                tasks.send_email,
                key=key,
                to={"user": user_id},
                template="staff_digest",
                context=pack({"entries": entries, "day": timezone.localdate(now)}),
                site_id=None,
            )
            count += 1
    return count


def records_prune(*, before: dt.datetime) -> None:
    """Forget deliveries and digested notices older than ``before`` (their jobs are long done)."""
    MailDelivery.objects.filter(sent_at__lt=before).delete()
    DigestEntry.objects.exclude(digest_key="").filter(created_at__lt=before).delete()


# --- References in, objects out ------------------------------------------------------------


def pack(value):
    """``value`` as JSON for a job: model instances (and lists of them) become references."""
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError(f"{value!r} is not saved: a job could not read it again.")
        return {MODEL: value._meta.label_lower, "pk": value.pk}
    if isinstance(value, models.QuerySet | list | tuple):
        return [pack(item) for item in value]
    if isinstance(value, dict):
        if any(not isinstance(key, str) or key.startswith("$") for key in value):
            raise TypeError(f"Context keys must be names: {list(value)!r}")
        return {key: pack(item) for key, item in value.items()}
    if isinstance(value, dt.datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # Lazy translations included: they would be frozen in the sender's language.
    raise TypeError(f"{type(value).__name__} cannot travel in a job: pass a model or a value.")


def unpack(value):
    """The inverse of :func:`pack`: objects read again (``ObjectDoesNotExist`` if one is gone)."""
    if isinstance(value, list):
        return [unpack(item) for item in value]
    if isinstance(value, dict):
        if MODEL in value:
            return apps.get_model(value[MODEL])._base_manager.get(pk=value["pk"])
        if DATETIME in value:
            return dt.datetime.fromisoformat(value[DATETIME])
        if DATE in value:
            return dt.date.fromisoformat(value[DATE])
        if DECIMAL in value:
            return Decimal(value[DECIMAL])
        return {key: unpack(item) for key, item in value.items()}
    return value


def recipient_of(user: User) -> dict:
    """The recipient as a job names it: an account's id, or an address (an invitee)."""
    if user.pk is not None:
        return {"user": user.pk}
    return {"email": user.email, "language": user.language}


def _recipient(to: dict) -> User:
    if "user" in to:
        return User.objects.get(pk=to["user"])
    return User(email=to["email"], language=to.get("language") or settings.LANGUAGE_CODE)


def site_of(context: dict):
    """The site the context names (its ``site``, or the site of its first object that has one)."""
    for value in [context.get("site"), *context.values()]:
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if _is_site(value):
            return value
        for path in _SITE_PATHS:
            obj = value
            try:
                for name in path:
                    obj = getattr(obj, name, None)
            except ObjectDoesNotExist:
                obj = None
            if _is_site(obj):
                return obj
    return None


def site_id_of(context: dict) -> int | None:
    site = site_of(context)
    return site.pk if site is not None else None


def _is_site(obj) -> bool:
    return isinstance(obj, models.Model) and obj._meta.label_lower == "sites.site"


# --- Rendering and sending -------------------------------------------------------------------


def render(user: User, template: str, context: dict) -> tuple[str, str, str]:
    """Subject, plain text and HTML of ``template`` for ``user``, in their language."""
    with translation.override(user.language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject: str = render_to_string(f"emails/{template}_subject.txt", context, using="text")
        subject = " ".join(subject.split())
        text = render_to_string(f"emails/{template}.txt", context, using="text")
        page = select_template([f"emails/{template}.html", "emails/base.html"], using="django")
        html = page.render(
            {
                **context,
                "subject": subject,
                "text": text.strip(),
                "letterhead": letterhead(site_of(context)),
                "language": translation.get_language(),
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
            }
        )
    return subject, text, html


def letterhead(site) -> dict:
    """Who writes: the site (name, address, its page), or the network when no site is named."""
    if site is None:
        return {
            "name": _("Technopark"),
            "lines": [_("The Technopark network, run by MITC")],
            "url": settings.SITE_URL + "/",
        }
    try:
        url = settings.SITE_URL + reverse("public:site", args=[site.slug])
    except NoReverseMatch:
        url = settings.SITE_URL + "/"
    lines = [line.strip() for line in (site.address or "").splitlines() if line.strip()]
    if site.city and not any(site.city in line for line in lines):
        lines.append(site.city)
    return {"name": site.name, "lines": lines, "url": url}


#: Files some messages carry, by template: ``build(context) -> [(filename, content, mimetype)]``.
#: The apps register them (the floor imports no app); built in the recipient's language.
ATTACHMENTS: dict[str, Callable[[dict], list[tuple[str, bytes, str]]]] = {}


def attach(template: str, build: Callable[[dict], list[tuple[str, bytes, str]]]) -> None:
    """Give every message of ``template`` the files ``build(context)`` returns (an .ics, a QR)."""
    ATTACHMENTS[template] = build


def message_for(user: User, template: str, context: dict) -> EmailMultiAlternatives:
    subject, text, html = render(user, template, context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    if template in ATTACHMENTS:
        with translation.override(user.language):
            for filename, content, mimetype in ATTACHMENTS[template](context):
                message.attach(filename, content, mimetype)
    return message


def deliver(*, key: str, to: dict, template: str, context: dict) -> str:
    """Render and send one e-mail, once for ``key``: the e-mail job's body.

    The delivery row and the sending share a transaction: if the mail server
    refuses, the row is rolled back and the job retried; once it committed, a
    second run of the job finds it and sends nothing. Returns what happened.
    """
    try:
        user = _recipient(to)
        values = unpack(context)
    except ObjectDoesNotExist:
        # The account or an object of the message was deleted since: nothing to say.
        logger.warning("E-mail %s (%s) not sent: what it was about is gone", key, template)
        return "gone"
    if not user.email:
        return "no address"
    message = message_for(user, template, values)
    with transaction.atomic():
        _, created = MailDelivery.objects.get_or_create(
            key=key, defaults={"to": user.email, "template": template}
        )
        if not created:
            return "already sent"
        message.send()
    return "sent"
