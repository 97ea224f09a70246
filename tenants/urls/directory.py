"""The public company directory (/companies/, namespace directory)."""

app_name = "directory"

urlpatterns = []
