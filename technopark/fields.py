"""Model fields shared by the apps."""

from django.db import models


class WebsiteField(models.URLField):
    """A URL field whose form adds ``https://`` when the scheme is left out."""

    def formfield(self, **kwargs):  # type: ignore[override]  # Django passes keywords only
        return super().formfield(**{"assume_scheme": "https", **kwargs})
