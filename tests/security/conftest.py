"""The events' fixtures, for the erasure of a person's registrations."""

from tests.events.conftest import agora, make_event  # noqa: F401
