"""The tenants app's forms, one module per area (company, offices, requests, kpi)."""
