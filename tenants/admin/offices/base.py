"""What the offices admins share: a read-only change form, pages of their own."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format

from technopark import access
from technopark.admin import ServiceOnlyAdmin


def day(value) -> str:
    """A date in an admin message, as the reader's locale writes it."""
    return date_format(value, "SHORT_DATE_FORMAT")


class OfficesAdmin(ServiceOnlyAdmin):
    """A read-only change form with the pages of the offices' own workflow.

    ``change_context`` adds what the change page shows beyond the fields, from
    the object the admin already fetched (``render_change_form`` receives it),
    so a page never reads its row twice and a malformed id stays a 404.
    """

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.change_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_context(self, request, obj) -> dict:
        return {}

    def staff_may(self, request, perm: str, obj) -> bool:
        """Whether a staff role of the person at the row's site grants ``perm`` on it."""
        return access.allows(request.user, perm, obj, via=access.VIA_SITE)

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    def _change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
