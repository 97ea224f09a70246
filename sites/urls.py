from django.urls import path

from sites import views

app_name = "public"

urlpatterns = [
    path("", views.network, name="network"),
    path("sites/<slug:slug>/", views.site_detail, name="site"),
    path("sites/<slug:slug>/photos/<int:pk>/", views.site_photo, name="site_photo"),
]
