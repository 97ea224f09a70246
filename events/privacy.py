"""What events does when a person's data is erased (``technopark.signals.person_erased``).

The person's registrations (with their account, or by their address before
they had one) keep their place in the counts (seats, attendance) but lose the
name, address and organisation they copied.
"""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import receiver

from events.models import Registration
from technopark.signals import person_erased


@receiver(person_erased, dispatch_uid="events.erase_registrations")
def erase_registrations(sender, user, **kwargs) -> None:
    Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(
        name="",
        organisation="",
        # Unique per event and address: each row its own address, reaching nobody.
        email=Concat(Value("erased-r"), Cast("pk", CharField()), Value("@erased.invalid")),
    )
