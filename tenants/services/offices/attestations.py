"""Residency attestations: issue, revocation, and the PDF that a third party checks.

An attestation is valid while it is neither revoked nor past its
``valid_until`` and its residency is current (``tenants.selectors.offices.
attestation_state``); only a valid one is served as a PDF.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from technopark.models import User
from tenants.models import Attestation, Residency
from tenants.rent import add_months
from tenants.selectors.offices import residency_is_current

#: How long an attestation can be shown to a third party (never past the residency's end).
ATTESTATION_VALID_MONTHS = 3


def attestation_valid_until(residency: Residency, *, today: dt.date) -> dt.date:
    """The last day an attestation issued ``today`` is valid: three months on, at most
    the residency's last day (the day before its end, when the end is known)."""
    valid_until = add_months(today, ATTESTATION_VALID_MONTHS)
    if residency.end is not None:
        valid_until = min(valid_until, residency.end - dt.timedelta(days=1))
    return valid_until


@transaction.atomic
def attestation_issue(
    *, residency: Residency, user: User, today: dt.date | None = None
) -> Attestation:
    """A residency attestation for a current contract, valid three months at most.

    Only a contract that runs today (started, not ended, whatever the nightly
    closing says) is attested, and never beyond its last day. Its code is
    random and unguessable: whoever holds it can check the attestation at
    /verify/<code>/.
    """
    today = today or timezone.localdate()
    residency = (
        Residency.objects.select_for_update(no_key=True, of=("self",))
        .select_related("company")
        .get(pk=residency.pk)
    )
    if not residency_is_current(residency, on=today):
        raise ValidationError(_("Only a running residency can be attested."), code="not_current")
    return Attestation.objects.create(
        company=residency.company,
        residency=residency,
        code=secrets.token_urlsafe(18),
        issued_by=user,
        valid_until=attestation_valid_until(residency, today=today),
    )


@transaction.atomic
def attestation_revoke(*, attestation: Attestation, user: User) -> Attestation:
    """Staff withdraw an attestation: /verify/ then says it was revoked."""
    attestation = Attestation.objects.select_for_update(no_key=True).get(pk=attestation.pk)
    if attestation.revoked_at is not None:
        raise ValidationError(_("This attestation is already revoked."), code="revoked")
    attestation.revoked_at = timezone.now()
    attestation.save(update_fields=["revoked_at"])
    return attestation


def attestation_verify_url(attestation: Attestation) -> str:
    """The public address where anyone checks the attestation."""
    return settings.SITE_URL + reverse("verify:attestation", args=[attestation.code])
