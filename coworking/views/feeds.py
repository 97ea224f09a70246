"""iCalendar feeds: a person's private feed by secret token, a room's feed for staff.

A room's feed names who booked (people and companies), so it stays behind the
staff's login session, read through the gate at each request: a secret URL
would keep answering after a staff member leaves the site, from wherever it
was pasted. Calendar applications therefore cannot subscribe to it; the front
desk page says so and offers it as a file to download.
"""

from django.contrib.auth.decorators import login_required
from django.utils import translation

from coworking import ical, selectors


def user_feed(request, token):
    """The private feed at a secret URL (no login): 404 for an unknown or revoked token."""
    feed = selectors.feed_by_token(token=token)
    user = feed.user
    with translation.override(user.language):
        content = ical.person_calendar(
            user,
            selectors.feed_room_bookings(user=user),
            selectors.feed_desk_reservations(user=user),
        )
    return ical.ical_response(content, "technopark.ics")


@login_required
def room_feed(request, space_id):
    """Every active booking of one room, for the signed-in staff who may read them."""
    room = selectors.room_for_staff(user=request.user, pk=space_id)
    content = ical.room_calendar(room, selectors.room_feed_bookings(room=room, user=request.user))
    return ical.ical_response(content, f"room-{room.pk}.ics")
