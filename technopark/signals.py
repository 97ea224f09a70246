"""Signals of the floor, which the apps above answer without the floor importing them."""

from django.dispatch import Signal

#: A person's personal data is being erased (law 09-08), inside the erasing
#: transaction: ``sender`` is the User class, ``user`` the person (their
#: address and name still readable), ``erased_email`` what replaces the address.
#: Each app anonymises the person's data it holds, its history included, and
#: keeps what accounting requires (bookings, contracts, invoices stay, pointing
#: at the anonymised account).
person_erased = Signal()
