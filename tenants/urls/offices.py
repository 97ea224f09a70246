"""Portal URLs of the offices area (mounted under /portal/, namespace portal)."""

urlpatterns = []
