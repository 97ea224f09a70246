"""What every area's demo seeding shares: the demo password, accounts, the context.

Each area has a ``seed(ctx: DemoContext)`` function in its own demo module;
``manage.py demo`` (the network layer, ``network/management/commands/demo.py``)
runs them in dependency order. Everything is created only when missing, so a
re-run keeps what is there.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from technopark.models import User

DEMO_PASSWORD = "technopark-demo"  # noqa: S105 (published in the README on purpose)


class Accounts:
    """Creates demo users, hashing the shared password once (Argon2 is slow on purpose)."""

    def __init__(self):
        self._hash = None
        self.listed: list[tuple[str, str]] = []

    def get(self, email: str, full_name: str, *, describe: str | None = None, **fields) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            if self._hash is None:
                self._hash = make_password(DEMO_PASSWORD)
            user = User.objects.create(
                email=email, full_name=full_name, password=self._hash, **fields
            )
        if describe:
            self.listed.append((email, describe))
        return user


@dataclass
class DemoContext:
    """What every seed function receives.

    ``rng`` is seeded, so the demo is the same on every machine; ``today`` is
    the local date the demo is built around; ``say`` prints a progress line.
    """

    accounts: Accounts = field(default_factory=Accounts)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311
    today: dt.date = field(default_factory=timezone.localdate)
    say: Callable[[str], None] = print
