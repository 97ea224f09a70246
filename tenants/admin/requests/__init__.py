"""Model admins of the one-stop shop: the catalogue, requests worked by agents, appointments."""

from tenants.admin.requests import appointments, catalogue, requests  # noqa: F401
