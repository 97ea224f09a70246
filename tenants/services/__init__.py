"""The tenants app's services, one module per area (company, offices, requests, kpi)."""
