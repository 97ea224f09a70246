"""Model admins of the requests area."""
