"""Model admins of the offices area."""
