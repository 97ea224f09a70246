"""Coworking and room booking URLs, mounted at the root (namespace coworking)."""

app_name = "coworking"

urlpatterns = []
