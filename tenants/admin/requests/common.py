"""What the one-stop shop's admins share."""

from django.contrib import admin

from technopark.admin import ScopedAdmin


class SaysWhatProtects:
    """Mix in before a model admin whose rows other rows PROTECT (bookings, requests).

    Django lists a missing delete permission before protected rows, and nobody
    holds the permission to delete bookings or requests: the page would say
    "your account doesn't have permission" instead of what keeps the row.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            perms_needed = set()
        return deleted, counts, perms_needed, protected


class WithoutHistoryAdmin(ScopedAdmin):
    """For models without simple-history records: Django's own history page, no version URL."""

    object_history_template = None

    def get_urls(self):
        history = f"{self.opts.app_label}_{self.opts.model_name}_simple_history"
        return [url for url in super().get_urls() if getattr(url, "name", None) != history]

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
