"""Demo data of the tenants app, one module per area; each has seed(ctx)."""
