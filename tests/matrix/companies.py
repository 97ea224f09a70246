"""Rows of the company area: sign-up, profile, team, invitations, the public directory."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from tenants.models import Invitation
from tenants.services.team import invitation_token
from tests.matrix import LOGIN, Url, everyone, named, row

#: "My company" pages: every company's people see their own.
OWN_COMPANY = row(LOGIN, 200, 200, 404, 404, 404, 404)


def _public_company_with_logo(world):
    def build(w):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
        w.company.public_profile = True
        w.company.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
        return w.company

    return world.memo("public_company", build)


def _invitation(world):
    return world.memo(
        "invitation",
        lambda w: Invitation.objects.create(
            company=w.company,
            email="newcomer@example.ma",
            role="member",
            expires_at=timezone.now() + dt.timedelta(days=7),
        ),
    )


def _pending_signup(world):
    def build(w):
        from technopark.models import User
        from tenants.models import Company, Membership
        from tenants.services.company import signup_tokens

        user = User.objects.create_user(
            email="pending@example.ma", password=None, is_active=False, email_confirmed=False
        )
        company = Company.objects.create(legal_name="Pending SARL", home_site=w.site)
        Membership.objects.create(company=company, user=user, role="admin")
        return urlsafe_base64_encode(force_bytes(user.pk)), signup_tokens.make_token(user)

    return world.memo("pending_signup", build)


def _member(world):
    return world.tenant_member.memberships.get()


ROWS = {
    "portal:signup": Url(named("portal:signup"), row(200, 302, 302, 302, 302, 302, 302)),
    "portal:signup_sent": Url(named("portal:signup_sent"), everyone(200)),
    # The link is the capability (a GET shows the button; the POST is the sign-up tests').
    "portal:signup_confirm": Url(
        named(
            "portal:signup_confirm",
            lambda w: _pending_signup(w)[0],
            lambda w: _pending_signup(w)[1],
        ),
        everyone(200),
    ),
    "portal:company": Url(named("portal:company"), OWN_COMPANY),
    "portal:company_edit": Url(named("portal:company_edit"), OWN_COMPANY),
    "portal:company_logo": Url(
        lambda w: (_public_company_with_logo(w), named("portal:company_logo")(w))[1],
        row(LOGIN, 200, 404, 404, 404, 404, 404),
    ),
    "portal:switch_company": Url(
        named("portal:switch_company"),
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
        data=lambda w: {"company": w.company.pk},
    ),
    "portal:team": Url(named("portal:team"), OWN_COMPANY),
    "portal:team_invite": Url(
        named("portal:team_invite"),
        # Company B's admin invites into company B: its own team.
        row(LOGIN, 302, 302, 404, 404, 404, 404),
        method="post",
        data=lambda w: {"email": "not-an-email", "role": "member"},
    ),
    "portal:invitation_revoke": Url(
        named("portal:invitation_revoke", lambda w: _invitation(w).pk),
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
    ),
    "portal:member_role": Url(
        named("portal:member_role", lambda w: _member(w).pk),
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
        data=lambda w: {"role": "member"},
    ),
    "portal:member_remove": Url(
        named("portal:member_remove", lambda w: _member(w).pk),
        # Company A's admin removes the member; for everyone after, the member is gone.
        row(LOGIN, 302, 404, 404, 404, 404, 404),
        method="post",
    ),
    "portal:invitation_accept": Url(
        named("portal:invitation_accept", lambda w: invitation_token(_invitation(w))),
        everyone(200),
    ),
    "directory:list": Url(named("directory:list"), everyone(200)),
    "directory:detail": Url(
        named("directory:detail", lambda w: _public_company_with_logo(w).pk), everyone(200)
    ),
    "directory:logo": Url(
        named("directory:logo", lambda w: _public_company_with_logo(w).pk), everyone(200)
    ),
}
