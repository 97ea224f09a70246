"""Model admins scoped by the access gate.

Every model admin derives from ``ScopedAdmin``, which routes lists, object
views, deletes, foreign-key choices and autocompletes through
``technopark.access``. Who may enter the admin at all is decided by
``technopark.admin_site``.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from technopark import access
from technopark.models import User


class _ValidKeysOnly:
    """An autocomplete widget that ignores values which cannot be a key of its model.

    Django's widget queries the posted or ``?site=abc`` value as it is, and a
    non-numeric key (or a NUL byte) ends in a server error; here such a value
    is simply not selected, and the form says the choice is invalid.
    """

    def optgroups(self, name, value, attr=None):
        to_field = getattr(self.field.remote_field, "field_name", None)
        model = self.field.remote_field.model
        target = model._meta.get_field(to_field) if to_field else model._meta.pk
        kept = []
        for item in value:
            try:
                if "\x00" not in str(item):
                    target.to_python(item)
                    kept.append(item)
            except ValidationError:
                continue
        return super().optgroups(name, kept, attr)


class SafeAutocompleteSelect(_ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidKeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompletes:
    """Admins and inlines whose autocomplete widgets survive junk keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdmin(SafeAutocompletes, SimpleHistoryAdmin):
    """A model admin whose every row and choice passes through the access gate.

    The admin is the staff's surface: only staff roles count here
    (``via="site"``), so a person who is staff somewhere and also a company's
    admin never reaches their own company's rows through it.
    """

    def _perm(self, action: str) -> str:
        return access.default_permission(self.model, action)

    def _may(self, request, action: str, obj=None) -> bool:
        perm = self._perm(action)
        if obj is None:
            return access.has_staff_perm(request.user, perm)
        return access.allows(request.user, perm, obj, via=access.VIA_SITE)

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user, via=access.VIA_SITE)

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view", obj) or self._may(request, "change", obj)

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)

    def writable(self, queryset, request):
        """Rows of a related model this admin's forms may point to."""
        user = request.user
        allowed = access.scope(
            queryset, user, self._perm("add"), via=access.VIA_SITE
        ) | access.scope(queryset, user, self._perm("change"), via=access.VIA_SITE)
        return queryset.filter(pk__in=allowed.values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if related._meta.label_lower in access.SCOPES and "queryset" not in kwargs:
            kwargs["queryset"] = self.writable(related._default_manager.all(), request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if related._meta.label_lower in access.SCOPES and "queryset" not in kwargs:
            kwargs["queryset"] = self.writable(related._default_manager.all(), request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Autocompletes offer only what the asking form may point to."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            source = self._autocomplete_source(request)
            if source is not None:
                queryset = source.writable(queryset, request)
        return queryset, may_have_duplicates

    def _autocomplete_source(self, request):
        label = f"{request.GET.get('app_label')}.{request.GET.get('model_name')}".lower()
        for model, model_admin in self.admin_site._registry.items():
            if model._meta.label_lower == label and isinstance(model_admin, ScopedAdmin):
                return model_admin
        return None

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version, shown to whoever may read the row; never saved from here.

        django-simple-history saves a POST to this page for anyone allowed to
        *view* the history, and writes back every field of the old version,
        read-only ones included, past the services that own the rules. Changes
        go through the change form and the services; this page only shows.
        """
        self._require_in_scope(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        if not str(version_id).isdigit():
            raise Http404  # e.g. a relative link that resolved under /history/
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def _require_in_scope(self, request, object_id):
        try:
            current = self.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, TypeError):
            current = None
        if current is None:
            raise Http404
        return current


#: Context that hides the save buttons of a change form.
READ_ONLY_FORM = {
    "show_save": False,
    "show_save_and_continue": False,
    "show_save_and_add_another": False,
}


class ServiceOnlyAdmin(ScopedAdmin):
    """A change form that only shows: the rows change through the services' own views.

    The save buttons are hidden and a POST to the change form is refused, so an
    empty save cannot write a version or a log entry either.
    """

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields or self.fields or ()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**READ_ONLY_FORM, **(extra_context or {})}
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            raise PermissionDenied  # nothing to save here
        return super().changeform_view(request, object_id, form_url, extra_context)


class ScopedInline(SafeAutocompletes, admin.options.InlineModelAdmin):
    """An inline editable only where the parent row is changeable by this person.

    Mix in before ``admin.TabularInline`` or ``admin.StackedInline``.
    """

    def _parent_changeable(self, request, obj) -> bool:
        if obj is None:
            return True
        perm = access.default_permission(type(obj), "change")
        return access.allows(request.user, perm, obj, via=access.VIA_SITE)

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user, via=access.VIA_SITE)

    def has_view_permission(self, request, obj=None):
        perm = access.default_permission(self.model, "view")
        return access.has_staff_perm(request.user, perm) or self.has_change_permission(request, obj)

    def _may(self, request, action: str, obj) -> bool:
        perm = access.default_permission(self.model, action)
        return access.has_staff_perm(request.user, perm) and self._parent_changeable(request, obj)

    def has_add_permission(self, request, obj):
        return self._may(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "language")


class _PasswordHashWidget(auth_forms.ReadOnlyPasswordHashWidget):
    """The password summary, whose button links to an absolute address.

    Django's widget links to ``../password/``, which from an old version's
    page (``…/history/<version>/``) points to no page at all.
    """

    password_url = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.password_url:
            context["password_url"] = self.password_url
        return context


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None and self.instance.pk:
            password.widget = _PasswordHashWidget()
            password.widget.password_url = reverse(
                "admin:auth_user_password_change", args=[self.instance.pk]
            )


# Roles are granted by staff assignments and memberships, not by groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ScopedAdmin, auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "is_network_manager", "is_superuser", "is_active")
    list_filter = ("is_network_manager", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "notification_mode")}),
        (_("Roles"), {"fields": ("is_active", "is_network_manager", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")


# The background jobs' admin (replaces procrastinate's own): it needs ScopedAdmin above.
from technopark import jobs_admin  # noqa: E402, F401
