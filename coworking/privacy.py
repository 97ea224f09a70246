"""What coworking does when a person's data is erased (``technopark.signals.person_erased``).

A nomad member's identity document number, nationality, phone and company
name go, from the profile and from its history; the passes, reservations
and bookings stay (they are the site's records), pointing at the anonymous account.
"""

from django.dispatch import receiver
from django.utils import timezone

from coworking.models import NomadProfile
from technopark.signals import person_erased


@receiver(person_erased, dispatch_uid="coworking.erase_nomad_profile")
def erase_nomad_profile(sender, user, **kwargs) -> None:
    fields = {"document_number": "", "nationality": "", "phone": "", "company_name": ""}
    profiles = list(NomadProfile.objects.filter(user=user).values_list("pk", flat=True))
    NomadProfile.objects.filter(pk__in=profiles).update(**fields, document_erased_at=timezone.now())
    NomadProfile.history.filter(id__in=profiles).update(**fields)
