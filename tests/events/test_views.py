"""The events pages: public list and detail, .ics, tickets, portal, check-in and export."""

import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from events import selectors, services
from events.models import EventKind, Registration, RegistrationStatus
from tests.conftest import client_for
from tests.events.conftest import DAY, NOW, local
from tests.factories import UserFactory
from tests.queries import queries_to_get

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=True)]


def test_the_list_shows_upcoming_events_and_filters_them(make_event, other_agora, other_site):
    make_event(title="Demo day Essaouira")
    other_staff_event = make_event(
        title="Formation Rabat",
        room=other_agora,
        actor=_staff_of(other_site),
        kind=EventKind.WORKSHOP,
        language="ar",
        price=200,
    )
    make_event(title="Draft", publish=False, dates=[(local(DAY, 9), local(DAY, 10))])
    client = client_for(None)

    def titles(**query):
        response = client.get(reverse("events:list"), query)
        assert response.status_code == 200
        return [e.title for e in response.context["page"]]

    assert titles() == ["Demo day Essaouira", "Formation Rabat"]
    assert titles(site="rabat") == ["Formation Rabat"]
    assert titles(kind="workshop") == ["Formation Rabat"]
    assert titles(language="ar") == ["Formation Rabat"]
    assert titles(price="free") == ["Demo day Essaouira"]
    assert titles(price="paid") == ["Formation Rabat"]
    assert titles(**{"from": (DAY + dt.timedelta(days=1)).isoformat()}) == []
    assert titles(kind="nonsense", price="x", **{"from": "2026-02-31"}) == [
        "Demo day Essaouira",
        "Formation Rabat",
    ]
    assert other_staff_event.slug in client.get(reverse("events:list")).content.decode()


def _staff_of(site):
    from sites.models import StaffRole
    from tests.factories import StaffAssignmentFactory

    return StaffAssignmentFactory(site=site, role=StaffRole.SITE_MANAGER).user


def test_a_resident_registers_in_one_click_and_sees_the_ticket_with_a_qr_code(
    make_event, tenant_admin, company
):
    event = make_event()
    client = client_for(tenant_admin)

    response = client.post(reverse("events:detail", args=[event.slug]))

    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert (registration.user, registration.company) == (tenant_admin, company)
    page = client.get(reverse("events:my_events")).content.decode()
    token = services.ticket_token(registration)
    assert reverse("events:ticket", args=[token]) in page
    ticket = client_for(None).get(reverse("events:ticket", args=[token])).content.decode()
    assert "<svg" in ticket and "<script>" not in ticket  # no inline script under the CSP
    detail = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Confirmed" in detail or "Confirmé" in detail


def test_a_person_of_two_companies_registers_for_the_one_they_act_for(
    make_event, tenant_admin, company
):
    from tenants.models import CompanyRole
    from tests.factories import CompanyFactory, MembershipFactory

    second = CompanyFactory(home_site=company.home_site, legal_name="Zeta Labs SARL")
    MembershipFactory(user=tenant_admin, company=second, role=CompanyRole.ADMIN)
    event = make_event(price=150)
    client = client_for(tenant_admin)
    assert client.post(reverse("portal:switch_company"), {"company": second.pk}).status_code == 302
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Zeta Labs SARL" in page

    client.post(reverse("events:detail", args=[event.slug]))

    registration = Registration.objects.get(event=event)
    assert registration.company == second  # a paid event is billed to it
    assert registration.organisation == second.display_name


def test_a_visitor_registers_with_a_form_and_confirms_by_the_link(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event()
    client = client_for(None)
    url = reverse("events:detail", args=[event.slug])

    refused = client.post(url, {"name": "", "email": "not-an-address"})
    assert refused.status_code == 200 and not Registration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"name": "Salma", "email": "salma@example.ma", "organisation": "ENSA", "consent": "on"},
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    confirm = reverse("events:confirm", args=[services.opt_in_token(registration)])
    assert confirm in mailoutbox[0].body
    assert client.get(confirm).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING  # a GET changes nothing
    assert client.post(confirm).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    forged = reverse("events:confirm", args=[services.opt_in_token(registration) + "x"])
    assert client.post(forged).status_code == 400


def test_the_ics_and_the_page_show_morocco_time_across_the_2026_clock_changes(make_event):
    # 15 Feb 2026 03:00 -> 02:00 (UTC+0 for Ramadan); 22 Mar 02:00 -> 03:00 (UTC+1);
    # 20 Sep 2026 03:00 -> 02:00 for good (UTC+0, tzdata 2026c).
    days = [dt.date(2026, 2, 16), dt.date(2026, 3, 23), dt.date(2026, 9, 21)]
    event = make_event(dates=[(local(day, 10), local(day, 12)) for day in days])

    ics = client_for(None).get(reverse("events:ics", args=[event.slug]))
    starts = [
        component.decoded("dtstart")
        for component in icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    ]
    assert starts == [
        dt.datetime(2026, 2, 16, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 23, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 21, 10, tzinfo=dt.UTC),
    ]
    page = client_for(None).get(reverse("events:detail", args=[event.slug])).content.decode()
    assert page.count(", 10:00</time>") == 3
    feed = client_for(None).get(reverse("events:site_feed", args=[event.site.slug]))
    assert feed.status_code == 200 and feed.content.count(b"BEGIN:VEVENT") == 3


def test_the_site_page_shows_its_next_events(make_event, site):
    make_event(title="Demo day au Technopark")
    page = client_for(None).get(reverse("public:site", args=[site.slug])).content.decode()
    assert "Demo day au Technopark" in page


def test_a_person_cancels_their_registration_from_my_events(make_event, tenant_admin):
    event = make_event()
    registration = services.registration_create(event=event, user=tenant_admin, now=NOW)
    client = client_for(tenant_admin)

    response = client.post(reverse("events:cancel", args=[registration.pk]))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    again = client.post(reverse("events:cancel", args=[registration.pk]))
    assert again.status_code == 302  # refused with a message, nothing changes


def test_a_company_admin_proposes_an_event_for_staff_approval(agora, tenant_admin, tenant_member):
    client = client_for(tenant_admin)
    data = {
        "title": "Game jam",
        "kind": "hackathon",
        "language": "fr",
        "room": agora.pk,
        "day": "2026-02-10",
        "start": "09:00",
        "end": "18:00",
        "capacity": 40,
        "audience": "public",
        "program": "",
    }
    assert client.post(reverse("events:propose"), data | {"end": "08:00"}).status_code == 200
    assert client.post(reverse("events:propose"), data | {"capacity": 999}).status_code == 200

    response = client.post(reverse("events:propose"), data)

    assert response.status_code == 302
    event = tenant_admin.memberships.get().company.events.get()
    assert event.status == "pending" and event.starts_at == local(dt.date(2026, 2, 10), 9)
    assert client_for(tenant_member).get(reverse("events:propose")).status_code == 404


def test_staff_check_in_by_scan_and_by_name_and_a_second_scan_says_so(make_event, site_staff):
    event = make_event()
    registration = services.registration_create(
        event=event, user=UserFactory(full_name="Yassine Amrani"), now=NOW
    )
    client = client_for(site_staff)
    url = reverse("events:checkin", args=[event.slug])

    page = client.get(url, {"q": "amrani"})
    assert page.status_code == 200 and "Yassine Amrani" in page.content.decode()
    assert page.context["counts"] == {
        "registered": 1,
        "checked_in": 0,
        "waiting": 0,
        "no_shows": 1,
    }
    client.post(url, {"code": services.ticket_token(registration)})
    second = client.post(url, {"registration": registration.pk}, follow=True)
    assert "already" in second.content.decode() or "déjà" in second.content.decode()
    bad = client.post(url, {"code": "forged:code"}, follow=True)
    assert bad.status_code == 200
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert client.get(url).context["counts"]["checked_in"] == 1


def test_the_check_in_button_posts_the_id_in_plain_digits(make_event, site_staff):
    """A registration numbered 12 345 must not post "12 345" (the page localizes numbers)."""
    from events.models import Registration

    event = make_event()
    registration = services.registration_create(
        event=event, user=UserFactory(full_name="Salma Idrissi"), now=NOW
    )
    Registration.objects.filter(pk=registration.pk).update(id=12345)
    client = client_for(site_staff)
    url = reverse("events:checkin", args=[event.slug])
    page = client.get(url, {"q": "idrissi"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    posted = re.search(r'name="registration" value="([^"]+)"', page).group(1)
    assert posted == "12345"
    client.post(url, {"registration": posted})
    assert Registration.objects.get(pk=12345).checked_in_at is not None


def test_the_attendee_export_is_csv_without_formulas(make_event, site_staff, other_site_staff):
    event = make_event()
    services.registration_create(
        event=event, name="=HYPERLINK(1)", email="x@example.ma", organisation="+1", now=NOW
    )
    url = reverse("events:export", args=[event.slug])

    response = client_for(site_staff).get(url)

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in text and "'+1" in text
    assert client_for(other_site_staff).get(url).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "site_staff"])
def test_the_list_and_check_in_pages_cost_the_same_queries_at_10_and_500_registrations(
    make_event, who, request
):
    event = make_event(capacity=200)
    event.capacity = 600  # beyond the room, for the count only
    event.save(update_fields=["capacity"])
    client = client_for(request.getfixturevalue(who))
    checkin = reverse("events:checkin", args=[event.slug])

    def grow_to(count):
        people = [UserFactory.build() for _ in range(count - event.registrations.count())]
        Registration.objects.bulk_create(
            Registration(
                event=event,
                name=f"Personne {person.email}",
                email=person.email,
                status=RegistrationStatus.CONFIRMED,
                holds_seat=True,
            )
            for person in people
        )
        event.seats_taken = count
        event.save(update_fields=["seats_taken"])

    grow_to(10)
    at_10 = queries_to_get(client, reverse("events:list"))
    staff_at_10 = queries_to_get(client, checkin, {"q": "personne"}) if who == "site_staff" else 0
    grow_to(500)
    at_500 = queries_to_get(client, reverse("events:list"))
    staff_at_500 = queries_to_get(client, checkin, {"q": "personne"}) if who == "site_staff" else 0
    print(f"/events/ as {who}: {at_10} queries at 10, {at_500} at 500 registrations")
    print(f"check-in: {staff_at_10} queries at 10, {staff_at_500} at 500 registrations")
    assert at_10 == at_500
    assert staff_at_10 == staff_at_500


def test_the_dashboard_selector_counts_events_attendees_and_no_shows_per_site_and_quarter(
    make_event, site_staff, network_manager, other_site_staff
):
    event = make_event(capacity=4)
    people = [
        services.registration_create(event=event, user=UserFactory(), now=NOW) for _ in range(4)
    ]
    for person in people[:3]:
        services.registration_check_in(
            actor=site_staff, event=event, registration=person, now=local(DAY, 14)
        )
    make_event(
        title="Later", dates=[(local(dt.date(2026, 5, 5), 9), local(dt.date(2026, 5, 5), 11))]
    )

    rows = selectors.attendance_by_site_and_quarter(
        user=network_manager, now=local(dt.date(2026, 6, 1), 9)
    )

    assert [(r["quarter"], r["events"], r["confirmed"], r["attendees"]) for r in rows] == [
        ("2026-Q1", 1, 4, 3),
        ("2026-Q2", 1, 0, 0),
    ]
    assert rows[0]["no_show_rate"] == 0.25 and rows[1]["no_show_rate"] is None
    event.site.name_ar = "تكنوبارك التجريبي"
    event.site.save()
    with translation.override("ar"):
        rows = selectors.attendance_by_site_and_quarter(
            user=network_manager, now=local(dt.date(2026, 6, 1), 9)
        )
    assert {r["site"] for r in rows} == {"تكنوبارك التجريبي"}
    assert (
        selectors.attendance_by_site_and_quarter(
            user=other_site_staff, now=local(dt.date(2026, 6, 1), 9)
        )
        == []
    )


def test_the_confirmation_e_mail_carries_the_ics_and_the_ticket_in_the_persons_language(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(dates=[(local(dt.date(2026, 3, 23), 10), local(dt.date(2026, 3, 23), 12))])
    person = UserFactory(language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, user=person, now=NOW)

    mail = mailoutbox[0]
    names = [name for name, _content, _type in mail.attachments]
    assert names == [f"{event.slug}.ics", "ticket.png"]
    ics = icalendar.Calendar.from_ical(mail.attachments[0][1])
    assert [c.decoded("dtstart") for c in ics.walk("VEVENT")] == [
        dt.datetime(2026, 3, 23, 9, tzinfo=dt.UTC)
    ]
    assert "10:00" in mail.body and "تم تأكيد مقعدك" in mail.body
    assert services.ticket_token(registration) in mail.body


def test_a_persons_data_download_holds_their_event_registrations(make_event, tenant_admin):
    from network.personal_data import personal_data

    event = make_event()
    mine = services.registration_create(event=event, user=tenant_admin, now=NOW)
    services.registration_create(event=event, name="Other", email="o@example.ma", now=NOW)

    rows = personal_data(tenant_admin)["event_registrations"]

    assert [row["pk"] for row in rows] == [mine.pk]


def test_the_list_keeps_the_language_switcher(make_event):
    page = client_for(None).get(reverse("events:list")).content.decode()
    assert 'name="language" value="ar"' in page
