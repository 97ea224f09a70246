"""Portal URLs of the company area (mounted under /portal/, namespace portal)."""

urlpatterns = []
