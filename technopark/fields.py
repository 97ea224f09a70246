"""Model fields shared by the apps."""

from django.db import models


class WebsiteField(models.URLField):
    """A URL field whose form adds ``https://`` when the scheme is left out."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
