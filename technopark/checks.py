"""Start-up checks of the floor: no model of a declared app is left without a scope."""

from django.apps import apps
from django.core import checks

from technopark import access


@checks.register(checks.Tags.security)
def every_model_has_a_scope(app_configs=None, **kwargs):
    """A model that holds site or tenant data and has no scope is an error, not an open door.

    Every app that declared a policy (``access.declare``) must give each of its
    models a scope; django-simple-history's version tables are read through
    their model's admin, which checks the model's own scope.
    """
    errors = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in access.NETWORK_APPS or hasattr(model, "instance_type"):
            continue
        if label not in access.SCOPES:
            errors.append(
                checks.Error(
                    f"{model._meta.label} has no access scope.",
                    hint=f"Declare it in {model._meta.app_label}/access.py (access.declare).",
                    obj=model,
                    id="technopark.E001",
                )
            )
    return errors
