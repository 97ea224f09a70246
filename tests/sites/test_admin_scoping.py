"""Staff of one site cannot reach another site's rows through the admin."""

import pytest
from django.urls import reverse

from sites.models import Space, SpaceKind
from tests.conftest import client_for
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def _space_form(site, **overrides):
    data = {
        "site": site.pk,
        "kind": SpaceKind.MEETING_ROOM,
        "name_fr": "Salle Mogador",  # the French text is the required one
        "capacity": 10,
        "area_m2": "",
        "bookable": "on",
        "hourly_rate": "120",
        "description_fr": "",
    }
    return data | overrides


def test_other_site_staff_do_not_see_the_space_in_the_list(space, other_space, other_site_staff):
    response = client_for(other_site_staff).get(reverse("admin:sites_space_changelist"))
    assert list(response.context["cl"].result_list) == [other_space]


def test_other_site_staff_cannot_open_the_space(space, other_site_staff):
    response = client_for(other_site_staff).get(
        reverse("admin:sites_space_change", args=[space.pk])
    )
    assert response.status_code == 404


def test_other_site_staff_cannot_change_the_space(space, other_site_staff, other_site):
    response = client_for(other_site_staff).post(
        reverse("admin:sites_space_change", args=[space.pk]),
        _space_form(other_site, name="Renamed"),
    )
    assert response.status_code == 404
    space.refresh_from_db()
    assert space.name == "Agora"


def test_other_site_staff_cannot_delete_the_space(space, other_site_staff):
    client = client_for(other_site_staff)
    response = client.post(reverse("admin:sites_space_delete", args=[space.pk]), {"post": "yes"})
    assert response.status_code == 404
    response = client.post(
        reverse("admin:sites_space_changelist"),
        {"action": "delete_selected", "_selected_action": [space.pk], "post": "yes"},
    )
    assert Space.objects.filter(pk=space.pk).exists()


def test_other_site_staff_cannot_choose_the_other_site_for_a_new_space(
    site, other_site, other_site_staff
):
    client = client_for(other_site_staff)
    form = client.get(reverse("admin:sites_space_add")).context["adminform"].form
    assert list(form.fields["site"].queryset) == [other_site]

    response = client.post(reverse("admin:sites_space_add"), _space_form(site))
    assert response.status_code == 200
    assert "site" in response.context["adminform"].form.errors
    assert not Space.objects.filter(name="Salle Mogador").exists()


def test_site_staff_add_a_space_at_their_own_site(site, site_staff):
    response = client_for(site_staff).post(reverse("admin:sites_space_add"), _space_form(site))
    assert response.status_code == 302
    assert Space.objects.get(name="Salle Mogador").site == site


def test_site_autocomplete_offers_only_the_sites_where_one_may_add_a_space(
    site, other_site, site_staff, other_site_staff, network_manager
):
    url = reverse("admin:autocomplete") + "?app_label=sites&model_name=space&field_name=site"

    def offered(user):
        return [item["text"] for item in client_for(user).get(url).json()["results"]]

    assert offered(site_staff) == [site.name]
    assert offered(other_site_staff) == [other_site.name]
    assert offered(network_manager) == []


def test_network_managers_read_but_cannot_change_a_space(space, network_manager, site):
    client = client_for(network_manager)
    assert client.get(reverse("admin:sites_space_change", args=[space.pk])).status_code == 200
    response = client.post(
        reverse("admin:sites_space_change", args=[space.pk]), _space_form(site, name="Renamed")
    )
    assert response.status_code == 404
    space.refresh_from_db()
    assert space.name == "Agora"


def test_the_site_form_lists_only_the_sites_own_spaces(site, space, other_space, site_staff):
    response = client_for(site_staff).get(reverse("admin:sites_site_change", args=[site.pk]))
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is type(space)
    ]
    assert [form.instance for form in inline.formset.forms if form.instance.pk] == [space]


def test_changes_are_kept_with_who_made_them(space, site_staff, site):
    client_for(site_staff).post(
        reverse("admin:sites_space_change", args=[space.pk]), _space_form(site, name_fr="Agora 2")
    )
    latest = space.history.latest()
    assert latest.name == "Agora 2"
    assert latest.history_user == site_staff


def test_a_second_space_with_the_same_name_at_a_site_is_refused(site, site_staff):
    SpaceFactory(site=site, name="Salle Mogador")
    response = client_for(site_staff).post(reverse("admin:sites_space_add"), _space_form(site))
    assert response.status_code == 200
    assert Space.objects.filter(name="Salle Mogador").count() == 1
