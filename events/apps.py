from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events import access, privacy  # noqa: F401 (access policy; erasure receiver)
        from events.ical import ticket_attachments
        from technopark import mail

        for template in ("events_confirmed", "events_promoted", "events_reminder"):
            mail.attach(template, ticket_attachments)
