"""Rows of the foundation: public pages, accounts, the network dashboard, the admin's own."""

import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from sites.models import SitePhoto
from tests.matrix import (
    ANONYMOUS,
    EDIT,
    HIDDEN,
    HIDDEN_BUT_ADDS,
    LOGIN,
    NONE,
    SHOWS,
    VIEW,
    WRITE,
    Url,
    admin_rows,
    everyone,
    named,
    row,
)


def _site_photo(world):
    def build(w):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), "teal").save(buffer, format="PNG")
        photo = SitePhoto(site=w.site, alt_text="La façade")
        photo.image.save("facade.png", ContentFile(buffer.getvalue()), save=True)
        return photo

    return world.memo("site_photo", build)


STAFF_ONLY = row(LOGIN, 404, 404, 200, 200, 200, 200)

ROWS = {
    "public:network": Url(named("public:network"), everyone(200)),
    "public:site": Url(named("public:site", lambda w: w.site.slug), everyone(200)),
    "public:site_photo": Url(
        lambda w: reverse("public:site_photo", args=[w.site.slug, _site_photo(w).pk]),
        everyone(200),
    ),
    "network:dashboard": Url(named("network:dashboard"), row(LOGIN, 404, 404, 404, 404, 200, 200)),
    # Each company's people see their own portal home.
    "portal:home": Url(named("portal:home"), row(LOGIN, 200, 200, 404, 404, 404, 404)),
    "login": Url(named("login"), row(200, 302, 302, 302, 302, 302, 302)),
    "logout": Url(named("logout"), everyone(405)),
    "home": Url(named("home"), row(LOGIN, 302, 302, 302, 302, 302, 302)),
    "password_change": Url(named("password_change"), row(LOGIN, *[200] * 6)),
    "password_change_done": Url(named("password_change_done"), row(LOGIN, *[200] * 6)),
    "password_reset": Url(named("password_reset"), everyone(200)),
    "password_reset_done": Url(named("password_reset_done"), everyone(200)),
    "password_reset_confirm": Url(
        lambda w: reverse("password_reset_confirm", args=["MQ", "not-a-token"]), everyone(200)
    ),
    "password_reset_complete": Url(named("password_reset_complete"), everyone(200)),
    "set_language": Url(named("set_language"), everyone(405)),
    "healthz": Url(named("healthz"), everyone(200)),
    # Law 09-08: what is collected and why; each person's own data as a download.
    "privacy": Url(named("privacy"), everyone(200)),
    "my_data": Url(named("my_data"), row(LOGIN, *[200] * 6)),
    # Each person asks for their own erasure (recorded, then done by a superuser).
    "erasure_request": Url(named("erasure_request"), row(LOGIN, *[302] * 6), method="post"),
    # The admin's own pages.
    "admin:index": Url(named("admin:index"), STAFF_ONLY),
    "admin:login": Url(named("admin:login"), everyone(302)),
    "admin:logout": Url(named("admin:logout"), row(302, 404, 404, 405, 405, 405, 405)),
    "admin:password_change": Url(named("admin:password_change"), STAFF_ONLY),
    "admin:password_change_done": Url(named("admin:password_change_done"), STAFF_ONLY),
    "admin:jsi18n": Url(named("admin:jsi18n"), STAFF_ONLY),
    "admin:autocomplete": Url(
        named("admin:autocomplete", query="app_label=sites&model_name=space&field_name=site"),
        # Which sites each one is offered: tests/sites/test_admin_scoping.py.
        STAFF_ONLY,
    ),
    "admin:view_on_site": Url(
        lambda w: reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(w.site).pk, w.site.pk],
        ),
        row(LOGIN, 404, 404, 302, 404, 302, 302),
    ),
    "admin:app_list": Url(named("admin:app_list", lambda w: "sites"), STAFF_ONLY),
    "admin:auth_user_password_change": Url(
        named("admin:auth_user_password_change", lambda w: w.tenant_member.pk),
        row(LOGIN, 404, 404, 404, 404, 404, 200),
    ),
    # Anything else under /admin/ is 404 for staff, a login for the others.
    "admin/(?P<url>.*)$": Url(
        lambda w: "/admin/no-such-page/", row(LOGIN, 404, 404, 404, 404, 404, 404)
    ),
}

SUPERUSER_ONLY = {
    "anonymous": ANONYMOUS,
    "tenant_user": NONE,
    "other_company_user": NONE,
    "site_staff": NONE,
    "other_site_staff": NONE,
    "network_manager": NONE,
    # django-axes' own admins: records of login attempts cannot be added by hand.
    "superuser": (SHOWS, 404, WRITE, 200, 200),
}

ROWS |= admin_rows(
    "technopark.user",
    lambda w: w.tenant_member,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": NONE,
        "other_site_staff": NONE,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
ROWS |= admin_rows(
    "sites.site",
    lambda w: w.site,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": (SHOWS, 404, WRITE, 404, 200),
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
ROWS |= admin_rows(
    "sites.space",
    lambda w: w.space,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": EDIT,
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
ROWS |= admin_rows(
    "sites.staffassignment",
    lambda w: w.site_staff_assignment,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": VIEW,
        "other_site_staff": HIDDEN,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
ROWS |= admin_rows(
    "tenants.company",
    lambda w: w.company,
    {
        "anonymous": ANONYMOUS,
        "tenant_user": NONE,
        "other_company_user": NONE,
        "site_staff": (SHOWS, 200, WRITE, 404, 200),
        "other_site_staff": HIDDEN_BUT_ADDS,
        "network_manager": VIEW,
        "superuser": EDIT,
    },
)
for label, attribute in [
    ("axes.accessattempt", "access_attempt"),
    ("axes.accesslog", "access_log"),
    ("axes.accessfailurelog", "access_failure_log"),
]:
    ROWS |= admin_rows(
        label, lambda w, a=attribute: getattr(w, a), SUPERUSER_ONLY, simple_history=False
    )
