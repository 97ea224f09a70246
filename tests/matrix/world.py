"""The objects the matrix rows point at, built once per test."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog


class World:
    """Site A, company A and their people; site B and company B; each role's person.

    Area modules build their own objects with ``world.memo("name", build)``; the
    core fixtures are reached with ``world.fixture("name")``.
    """

    def __init__(self, request):
        self.fixture = request.getfixturevalue
        self._memo = {}
        self.site = self.fixture("site")
        self.other_site = self.fixture("other_site")
        self.space = self.fixture("space")
        self.company = self.fixture("company")
        self.other_company = self.fixture("other_company")
        self.tenant_member = self.fixture("tenant_member")
        self.people = {
            "anonymous": None,
            "tenant_user": self.fixture("tenant_admin"),
            "other_company_user": self.fixture("other_company_user"),
            "site_staff": self.fixture("site_staff"),
            "other_site_staff": self.fixture("other_site_staff"),
            "network_manager": self.fixture("network_manager"),
            "superuser": self.fixture("superuser"),
        }

    def memo(self, name, build):
        """Build an object once per world: ``world.memo("request", lambda w: ...)``."""
        if name not in self._memo:
            self._memo[name] = build(self)
        return self._memo[name]

    @property
    def site_staff_assignment(self):
        return self.people["site_staff"].staff_assignments.get()

    @property
    def access_attempt(self):
        return self.memo(
            "access_attempt",
            lambda w: AccessAttempt.objects.create(
                username="someone@example.ma", ip_address="10.0.0.1", failures_since_start=1
            ),
        )

    @property
    def access_log(self):
        return self.memo(
            "access_log",
            lambda w: AccessLog.objects.create(
                username="someone@example.ma", ip_address="10.0.0.1"
            ),
        )

    @property
    def access_failure_log(self):
        return self.memo(
            "access_failure_log",
            lambda w: AccessFailureLog.objects.create(
                username="someone@example.ma", ip_address="10.0.0.1"
            ),
        )
