"""The events' and billing's fixtures, for the dashboard's sections that read those apps."""

from tests.billing.conftest import draft, entity, issued, lease  # noqa: F401
from tests.events.conftest import agora, make_event  # noqa: F401
