"""The tenants app's model admins, one module per area."""

from tenants.admin import alumni, company, kpi, offices, requests  # noqa: F401
