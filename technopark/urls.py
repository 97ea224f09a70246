from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from network import views as network_views
from technopark import jobs_views, notifications, views
from technopark.forms import PasswordResetForm, SetPasswordForm

auth_patterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("home/", network_views.home, name="home"),
    path("my-data/", network_views.my_data, name="my_data"),
    path("my-data/erase/", views.erasure_request, name="erasure_request"),
    path("notices/", notifications.notification_settings, name="notification_settings"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("sites.urls")),
    path("network/", include("network.urls")),
    path("portal/billing/", include("billing.urls")),
    path("portal/", include("tenants.urls")),
    path("companies/", include("tenants.urls.directory")),
    path("verify/", include("tenants.urls.verify")),
    path("alumni/", include("tenants.urls.alumni")),
    path("", include("coworking.urls")),
    path("", include("events.urls")),
    path("accounts/", include(auth_patterns)),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/workers", jobs_views.workers_health, name="healthz_workers"),
    path("admin/", admin.site.urls),
]

# The database out of reach is a 503 page with Retry-After, not a 500.
handler500 = "technopark.unavailable.server_error"
