"""Public verification of attestations (/verify/, namespace verify)."""

app_name = "verify"

urlpatterns = []
