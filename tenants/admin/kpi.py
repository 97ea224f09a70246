"""Model admins of the kpi area."""
