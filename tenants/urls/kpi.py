"""Portal URLs of the kpi area (mounted under /portal/, namespace portal)."""

urlpatterns = []
