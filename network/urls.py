from django.urls import path

from network import views

app_name = "network"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("sites/<slug:slug>/", views.site_dashboard, name="site"),
    path("rows/<slug:kind>/", views.rows, name="rows"),
]
