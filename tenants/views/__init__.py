"""The tenants app's views, one module per area (company, offices, requests, kpi)."""
