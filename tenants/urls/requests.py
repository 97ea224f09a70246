"""Portal URLs of the requests area (mounted under /portal/, namespace portal)."""

urlpatterns = []
