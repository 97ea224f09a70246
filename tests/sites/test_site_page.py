"""A site's public page: what to do there, how to reach it, when it opens, its photos."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sites.models import SitePhoto, SiteStatus
from tests.conftest import client_for
from tests.factories import SpaceFactory
from tests.factories.coworking import RoomRulesFactory
from tests.queries import get_counted

pytestmark = pytest.mark.django_db

SOURCES = "Capacité de 40 TPE selon l'article fondateur ; la presse parle de 70+."


def _png(size=(16, 12), colour="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(site, n: int) -> SitePhoto:
    photo = SitePhoto(site=site, alt_text=f"L'agora, vue {n}", position=n)
    photo.image.save(f"agora-{n}.png", ContentFile(_png()), save=True)
    return photo


@pytest.fixture
def open_site(site):
    site.status = SiteStatus.OPERATING
    site.opening_year = 2023
    site.address = "Route de Marrakech\nEssaouira"
    site.phone = "+212 5 24 00 00 00"
    site.email = "essaouira@technopark.test"
    site.sources = SOURCES
    site.save()
    room = SpaceFactory(site=site, name="Agora", hourly_rate=100)
    RoomRulesFactory(
        space=room, hours=[*[(d, "08:30", "18:00") for d in range(5)], (5, "09:00", "13:00")]
    )
    late = SpaceFactory(site=site, name="Espace gaming", hourly_rate=50)
    RoomRulesFactory(space=late, hours=[(d, "10:00", "20:00") for d in range(5)])
    return site


def _page(site, language="fr", user=None):
    client = client_for(user)
    client.cookies["django_language"] = language
    return client.get(reverse("public:site", args=[site.slug]), HTTP_ACCEPT_LANGUAGE=language)


def test_the_page_shows_how_to_reach_the_site_and_when_it_opens(open_site):
    html = _page(open_site).content.decode()
    assert "Route de Marrakech<br>Essaouira" in html
    assert 'href="tel:+212524000000"' in html
    assert 'href="mailto:essaouira@technopark.test"' in html
    # Each weekday's widest hours over the rooms, equal days on one line.
    assert "Lundi – vendredi" in html
    assert "<time>08:30</time>–<time>20:00</time>" in html
    assert "Samedi" in html
    assert "<time>09:00</time>–<time>13:00</time>" in html
    assert "imanche" not in html


def test_the_page_calls_visitors_to_apply_join_and_see_the_calendar(open_site):
    SpaceFactory(site=open_site, kind="coworking", name="Coworking")
    html = _page(open_site).content.decode()
    assert reverse("portal:signup") in html
    assert reverse("coworking:join", args=[open_site.slug]) in html
    assert reverse("coworking:calendar_day", args=[open_site.slug]) in html


def test_the_notes_about_sources_never_reach_the_public(open_site):
    for language in ("fr", "ar", "en"):
        assert SOURCES not in _page(open_site, language).content.decode()
        assert "presse" not in _page(open_site, language).content.decode()


def test_the_demo_descriptions_keep_no_note_about_sources():
    from sites.network import SITES

    for entry in SITES:
        text = entry.get("description", "")
        assert "selon" not in text and "presse" not in text, entry["slug"]


def test_photos_show_in_order_with_their_text_and_are_served_with_their_real_type(open_site):
    second, first = _photo(open_site, 2), _photo(open_site, 1)
    html = _page(open_site).content.decode()
    urls = [reverse("public:site_photo", args=[open_site.slug, p.pk]) for p in (first, second)]
    assert html.index(urls[0]) < html.index(urls[1])
    assert 'alt="L&#x27;agora, vue 1"' in html
    response = client_for(None).get(urls[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == _png()


def test_a_photo_is_not_served_under_another_sites_address(open_site, other_site):
    photo = _photo(open_site, 1)
    url = reverse("public:site_photo", args=[other_site.slug, photo.pk])
    assert client_for(None).get(url).status_code == 404


def test_the_page_costs_the_same_queries_with_one_photo_or_twelve(open_site):
    _photo(open_site, 0)
    _, with_one = get_counted(client_for(None), reverse("public:site", args=[open_site.slug]))
    for n in range(1, 12):
        _photo(open_site, n)
    response, with_twelve = get_counted(
        client_for(None), reverse("public:site", args=[open_site.slug])
    )
    assert response.content.decode().count('class="img-fluid rounded site-photo"') == 12
    assert with_twelve == with_one


def _checked(upload, site) -> SitePhoto:
    photo = SitePhoto(site=site, image=upload, alt_text="La façade")
    photo.full_clean()
    return photo


def test_a_photo_over_the_size_limit_is_refused(site):
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (5 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError) as refusal:
        _checked(big, site)
    assert refusal.value.error_dict["image"][0].code == "file_too_large"


def test_a_file_that_only_claims_to_be_an_image_is_refused_by_its_content(site):
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4\n%" + b"x" * 200, "image/png")
    with pytest.raises(ValidationError) as refusal:
        _checked(fake, site)
    codes = {error.code for error in refusal.value.error_dict["image"]}
    assert codes & {"file_type", "invalid_image"}
    assert not SitePhoto.objects.exists()


def test_a_photo_needs_its_text_for_people_who_cannot_see_it(site):
    photo = SitePhoto(site=site, image=SimpleUploadedFile("a.png", _png(), "image/png"))
    with pytest.raises(ValidationError) as refusal:
        photo.full_clean()
    assert "alt_text" in refusal.value.error_dict


def test_staff_of_the_site_upload_a_photo_in_the_admin_and_others_cannot(
    open_site, site_staff, other_site_staff
):
    change = reverse("admin:sites_site_change", args=[open_site.pk])
    page = client_for(site_staff).get(change)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(_inline_management(page))
    prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model is SitePhoto
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-alt_text": "La façade au coucher du soleil",
            f"{prefix}-0-position": "1",
            f"{prefix}-0-image": SimpleUploadedFile("facade.png", _png(), "image/png"),
        }
    )
    response = client_for(site_staff).post(change, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    photo = open_site.photos.get()
    assert photo.alt_text == "La façade au coucher du soleil"
    # A random name with the extension of what the file is, never the client's name.
    assert photo.image.name.startswith("site-photos/")
    assert photo.image.name.endswith(".png")
    assert "facade" not in photo.image.name
    assert client_for(other_site_staff).get(change).status_code in (302, 403, 404)


def _inline_management(page) -> dict:
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for index, form in enumerate(formset.forms):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                data[f"{formset.prefix}-{index}-{name}"] = "" if value is None else value
    return data
