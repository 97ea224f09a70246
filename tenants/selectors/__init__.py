"""The tenants app's selectors, one module per area (company, offices, requests, kpi)."""
