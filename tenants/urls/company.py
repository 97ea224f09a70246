"""Portal URLs of the company area (mounted under /portal/, namespace portal)."""

from django.urls import path

from tenants.views import company

urlpatterns = [
    path("signup/", company.signup, name="signup"),
    path("signup/sent/", company.signup_sent, name="signup_sent"),
    path(
        "signup/confirm/<str:uidb64>/<str:token>/",
        company.signup_confirm,
        name="signup_confirm",
    ),
    path("company/", company.company_profile, name="company"),
    path("company/edit/", company.company_edit, name="company_edit"),
    path("company/logo/", company.company_logo, name="company_logo"),
    path("company/switch/", company.switch_company, name="switch_company"),
    path("team/", company.team, name="team"),
    path("team/invite/", company.team_invite, name="team_invite"),
    path("team/invitations/<int:pk>/revoke/", company.invitation_revoke, name="invitation_revoke"),
    path("team/members/<int:pk>/role/", company.member_role, name="member_role"),
    path("team/members/<int:pk>/remove/", company.member_remove, name="member_remove"),
    path("invitations/<str:token>/", company.invitation_accept, name="invitation_accept"),
]
