"""The gate's policy is declared by each app; a model without a scope stops the start."""

from django.apps import apps
from django.db import models

from technopark import access, checks


def test_every_model_of_the_apps_has_a_scope():
    assert checks.every_model_has_a_scope() == []


def test_a_model_without_a_scope_is_a_start_up_error():
    class Unscoped(models.Model):
        class Meta:
            app_label = "events"

        def __str__(self):
            return "unscoped"

    try:
        errors = checks.every_model_has_a_scope()
        assert [error.id for error in errors] == ["technopark.E001"]
        assert "events/access.py" in errors[0].hint
    finally:
        del apps.all_models["events"]["unscoped"]
        apps.clear_cache()


def test_each_app_declares_its_own_policy():
    assert access.NETWORK_APPS >= {"technopark", "sites", "tenants", "coworking", "events"}
    assert access.SCOPES["sites.site"].site == "id"
    assert "coworking.add_roombooking" in access.ROLE_PERMISSIONS["member"]


def test_the_public_directory_lists_residents_and_alumni_by_the_apps_enum():
    from tenants.models import CompanyStatus

    public = access.SCOPES["tenants.company"].public
    assert dict(public.children)["status__in"] == (CompanyStatus.RESIDENT, CompanyStatus.ALUMNI)
