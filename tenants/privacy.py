"""What tenants does when a person's data is erased (``technopark.signals.person_erased``).

Invitations sent to the person's address go (they hold the address); the
person's memberships, requests, messages and KPI reports stay as their
company's records, signed by the anonymous account.
"""

from django.dispatch import receiver

from technopark.signals import person_erased
from tenants.models import Invitation


@receiver(person_erased, dispatch_uid="tenants.erase_invitations")
def erase_invitations(sender, user, **kwargs) -> None:
    Invitation.objects.filter(email__iexact=user.email).delete()
