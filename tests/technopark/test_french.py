"""French elision around names: "d’Essaouira", "de l’Agora", "du Coworking" (technopark.french)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from technopark.french import elide, with_article
from tests.conftest import client_for
from tests.factories import MembershipFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tribunal de commerce de Essaouira", "tribunal de commerce d’Essaouira"),
        ("Équipe de Atlas Games", "Équipe d’Atlas Games"),
        ("Logo de Rabat Soft", "Logo de Rabat Soft"),
        ("De Oujda à Tiznit", "D’Oujda à Tiznit"),
        ("le Essaouira de demain", "l’Essaouira de demain"),
        ("de 8 h à 18 h", "de 8 h à 18 h"),
    ],
)
def test_de_and_le_lose_their_vowel_before_a_vowel_in_french(text, expected):
    with translation.override("fr"):
        assert elide(text) == expected


@pytest.mark.parametrize(
    ("name", "sentence", "expected"),
    [
        ("Agora", "Votre réservation de {}", "Votre réservation de l’Agora"),
        ("Espace gaming", "Votre réservation de {}", "Votre réservation de l’Espace gaming"),
        (
            "Salle de formation",
            "Votre réservation de {}",
            "Votre réservation de la Salle de formation",
        ),
        ("Coworking", "Bienvenue de {}", "Bienvenue du Coworking"),
        ("Coworking", "Rendez-vous à {}", "Rendez-vous au Coworking"),
        ("Atlas", "Votre réservation de {}", "Votre réservation d’Atlas"),
    ],
)
def test_spaces_take_their_article_and_contract_with_de_and_a(name, sentence, expected):
    with translation.override("fr"):
        assert elide(sentence.format(with_article(name))) == expected


def test_other_languages_are_left_as_they_are():
    with translation.override("en"):
        assert with_article("Agora") == "Agora"
        assert elide("Logo de Atlas") == "Logo de Atlas"
    with translation.override("ar"):
        assert elide(f"حجز {with_article('Agora')}") == "حجز Agora"


def test_the_template_block_and_filter_elide_a_booking_email():
    template = Template(
        "{% load i18n technopark %}{% elide %}{% blocktranslate with room=room|with_article %}"
        "Your booking of {{ room }} at {{ site }} is confirmed."
        "{% endblocktranslate %}{% endelide %}"
    )
    with translation.override("fr"):
        text = template.render(Context({"room": "Agora", "site": "Technopark Essaouira"}))
    assert text == "Votre réservation de l’Agora à Technopark Essaouira est confirmée."
    with translation.override("en"):
        text = template.render(Context({"room": "Agora", "site": "Technopark Essaouira"}))
    assert text == "Your booking of Agora at Technopark Essaouira is confirmed."


@pytest.mark.django_db
def test_the_team_page_of_a_company_starting_with_a_vowel_elides(company):
    admin = MembershipFactory(company=company, role="admin", user__language="fr").user
    page = client_for(admin)
    page.cookies["django_language"] = "fr"
    html = page.get("/portal/team/").content.decode()
    assert "Équipe d’Atlas Games SARL" in html
