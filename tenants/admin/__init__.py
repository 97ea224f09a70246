"""The tenants app's model admins, one module per area."""

from tenants.admin import company, kpi, offices, requests  # noqa: F401
