"""Model admins scoped by the access gate.

Every model admin derives from ``ScopedAdmin``, which routes lists, object
views, deletes, foreign-key choices and autocompletes through
``technopark.access``. Who may enter the admin at all is decided by
``technopark.admin_site``.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Model
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from technopark import access, services
from technopark.history import ReadableHistory
from technopark.models import User
from technopark.ranges import format_range


def forward_relations(model, depth: int = 2) -> list[str]:
    """The to-one relations of ``model``, ``depth`` levels deep, for ``select_related``.

    Inline rows print their relations (a membership's person, a check-in's
    recorder) and their ``__str__`` follows them (a space names its site):
    fetched with the rows, a page's query count no longer grows with them.
    """
    paths = []
    for field in model._meta.fields:
        if field.is_relation and field.many_to_one or getattr(field, "one_to_one", False):
            if not field.remote_field or field.remote_field.model is None:
                continue
            paths.append(field.name)
            if depth > 1:
                paths += [
                    f"{field.name}__{inner}"
                    for inner in forward_relations(field.related_model, depth - 1)
                ]
    return paths


class _RelatedRowsAtOnce(NestedObjects):
    """Django's delete collector, fetching each related row with what its name prints."""

    def related_objects(self, related_model, related_fields, objs):
        rows = super().related_objects(related_model, related_fields, objs)
        return rows.select_related(*forward_relations(related_model))


def deleted_objects(objs, request, admin_site):
    """Django's ``get_deleted_objects`` in a constant number of queries per kind of row.

    The same answer as Django's (what would go, what is protected, which
    permissions are missing), but the delete permission is asked once per
    model for all its collected rows, through the gate, instead of once per
    row, and the rows come with their relations.
    """
    if not objs:
        return [], {}, set(), []
    collector = _RelatedRowsAtOnce(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    user = request.user
    deletable: dict[type[Model], set] = {}
    model_objs: dict[type[Model], Any] = collector.model_objs  # type: ignore[assignment]  # stubs: str keys
    for model, rows in [*model_objs.items(), *_by_model(collector.protected)]:
        model_admin = admin_site._registry.get(model)
        if not isinstance(model_admin, ScopedAdmin) or model in deletable:
            continue
        perm = access.default_permission(model, "delete")
        if not access.has_staff_perm(user, perm):
            deletable[model] = set()
            continue
        pks = [row.pk for row in rows]
        allowed = access.scope(
            model._default_manager.filter(pk__in=pks), user, perm, via=access.VIA_SITE
        )
        deletable[model] = set(allowed.values_list("pk", flat=True))
    perms_needed = set()

    def format_callback(obj):
        model, opts = type(obj), obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        model_admin = admin_site._registry.get(model)
        if model_admin is None:
            return no_edit_link
        allowed = (
            obj.pk in deletable[model]
            if model in deletable
            else model_admin.has_delete_permission(request, obj)
        )
        if not allowed:
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]
            )
        except NoReverseMatch:
            return no_edit_link
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {model._meta.verbose_name_plural: len(rows) for model, rows in model_objs.items()}
    return to_delete, model_count, perms_needed, protected


def _by_model(rows) -> list[tuple[type[Model], list]]:
    grouped: dict[type[Model], list] = {}
    for row in rows:
        grouped.setdefault(type(row), []).append(row)
    return list(grouped.items())


class RelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """Django's "related rows only" sidebar filter, its choices read in one query.

    Django prints each choice with ``str()``, and a room's name follows its
    site: one query per room. Here the choices come with their relations.
    """

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        used = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        choices = related._default_manager.filter(pk__in=used).select_related(
            *forward_relations(related, 1)
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        target = field.remote_field.get_related_field().attname
        return [(getattr(choice, target), str(choice)) for choice in choices]


_django_admin_url = helpers.AdminReadonlyField.get_admin_url  # type: ignore[attr-defined]


def _admin_url_if_allowed(field: helpers.AdminReadonlyField, remote_field, remote_obj):
    """A read-only relation links to its page only for whoever may open that page.

    Django links every read-only foreign key to the related row's change page,
    which answers 404 to a person outside that row's scope (an agent reading a
    booking does not open its holder's account): then the name is plain text.
    The form carries the request (``ScopedAdmin.get_form``). The right is asked
    of the related list as a whole (no query per row): a role without it (staff
    and people's accounts, an agent and the applications) sees a name.
    """
    request = getattr(field.form, "admin_request", None)
    admin_site = field.model_admin.admin_site  # type: ignore[union-attr]
    related_admin = admin_site._registry.get(remote_field.model)
    if request is not None and (
        related_admin is None or not related_admin.has_view_permission(request)
    ):
        return str(remote_obj)
    return _django_admin_url(field, remote_field, remote_obj)


helpers.AdminReadonlyField.get_admin_url = _admin_url_if_allowed  # type: ignore[attr-defined]


def range_display(name: str, description):
    """An admin column or read-only field showing the range field ``name`` as a sentence."""

    @admin.display(description=description, ordering=name)
    def display(self, obj):
        return format_range(getattr(obj, name))

    return display


def identifier_display(name: str, description, ordering: bool = True):
    """An admin column or read-only field showing the integer ``name`` as plain digits.

    A year is an identifier: Django would group it by the locale ("2 026").
    """

    @admin.display(description=description, ordering=name if ordering else None)
    def display(self, obj):
        value = getattr(obj, name)
        return None if value is None else str(value)

    return display


if TYPE_CHECKING:  # what the mixins are mixed into, for the type checker only
    _WidgetBase = AutocompleteSelect
    _AdminBase = admin.options.BaseModelAdmin
else:
    _WidgetBase = _AdminBase = object


class _ValidKeysOnly(_WidgetBase):
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


class SafeAutocompletes(_AdminBase):
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

    ``identifier_fields`` names integer fields that are identifiers (a year):
    read-only, Django would group them by the locale ("2 026"); they show as
    plain digits instead.
    """

    identifier_fields: tuple[str, ...] = ()
    #: A column naming the row's site: left out for a person who works at one site only,
    #: so a list keeps its width for the columns that differ from row to row.
    site_column: str | None = None

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if self.site_column and self._at_one_site(request.user):
            columns = [column for column in columns if column != self.site_column]
        return columns

    def _at_one_site(self, user) -> bool:
        perms = [self._perm("view"), self._perm("change")]
        if any(access.sees_everything(user, perm) for perm in perms):
            return False
        return len(set().union(*(access.site_ids(user, perm) for perm in perms))) == 1

    def get_fieldsets(self, request, obj=None):
        return self.identifier_fieldsets(request, obj, super().get_fieldsets(request, obj))

    def identifier_fieldsets(self, request, obj, fieldsets):
        """``fieldsets`` with the identifier fields shown as plain digits where read-only
        (an admin whose first base builds the fieldsets itself calls this on them)."""
        match = getattr(request, "resolver_match", None)
        on_change_page = match is not None and (match.url_name or "").endswith("_change")
        if not (self.identifier_fields and on_change_page) or self.has_change_permission(
            request, obj
        ):
            return fieldsets
        return [
            (title, {**options, "fields": [self._as_identifier(f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def _as_identifier(self, name):
        if isinstance(name, (list, tuple)):
            return type(name)(self._as_identifier(n) for n in name)
        if name not in self.identifier_fields:
            return name
        display_name = f"{name}_as_identifier"
        if not hasattr(self, display_name):
            field = self.model._meta.get_field(name)
            display = identifier_display(name, field.verbose_name, ordering=False)
            setattr(self, display_name, display.__get__(self))
        return display_name

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_request = request  # a class made for this request: see get_admin_url above
        return form

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

    def changelist_view(self, request, extra_context=None):
        # "Demandes", not Django's "Sélectionnez l'objet demande à changer".
        context = {"title": capfirst(self.model._meta.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_deleted_objects(self, objs, request):
        return deleted_objects(objs, request, self.admin_site)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        people = self.admin_site._registry.get(User)
        context = {
            # Names link to the person's page only for whoever may open it.
            "may_open_people": people is not None and people.has_view_permission(request),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

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
        if not str(version_id).isdecimal():
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
        rows = access.scope(super().get_queryset(request), request.user, via=access.VIA_SITE)
        return rows.select_related(*forward_relations(self.model))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.admin_request = request  # type: ignore[attr-defined]  # a class made for it
        return formset

    def has_view_permission(self, request, obj=None):
        perm = access.default_permission(self.model, "view")
        return access.has_staff_perm(request.user, perm) or self.has_change_permission(request, obj)

    def _may(self, request, action: str, obj) -> bool:
        perm = access.default_permission(self.model, action)
        return access.has_staff_perm(request.user, perm) and self._parent_changeable(request, obj)

    def has_add_permission(self, request, obj):  # type: ignore[override]  # an inline's signature
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


class ErasureFilter(admin.SimpleListFilter):
    title = _("erasure of personal data")
    parameter_name = "erasure"

    def lookups(self, request, model_admin):
        return [("requested", _("Requested, to do")), ("done", _("Erased"))]

    def queryset(self, request, queryset):
        if self.value() == "requested":
            return queryset.filter(erasure_requested_at__isnull=False, erased_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(erased_at__isnull=False)
        return queryset


@admin.register(User)
class UserAdmin(ScopedAdmin, auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "is_network_manager", "is_superuser", "is_active")
    list_filter = ("is_network_manager", "is_superuser", "is_active", ErasureFilter)
    actions = ["erase_personal_data"]
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
    readonly_fields = ("last_login", "date_joined", "erasure_requested_at", "erased_at")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Personal data"), {"fields": ("erasure_requested_at", "erased_at")}))

    @admin.action(
        description=_("Erase the selected people's personal data"), permissions=["change"]
    )
    def erase_personal_data(self, request, queryset):
        erased = refused = 0
        for person in queryset:
            try:
                services.user_erase(actor=request.user, user=person)
            except ValidationError:
                refused += 1
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person's personal data is erased.",
                    "%(count)d people's personal data is erased.",
                    erased,
                )
                % {"count": erased},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d superuser was left as is: remove the status first.",
                    "%(count)d superusers were left as is: remove the status first.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )


# The background jobs' admin (replaces procrastinate's own): it needs ScopedAdmin above.
from technopark import jobs_admin  # noqa: E402, F401
