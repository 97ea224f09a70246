"""``manage.py runserver`` with a listen queue that takes a burst of requests.

Django's development server listens with a queue of 10 connections: a burst of
50 or 200 people booking one slot at the same instant (``bench/booking_race.py``)
had connections reset before the server read them. This command is the one
``manage.py serve`` (and so ``make demo``) runs; it is the whitenoise wrapper's
command (static files through whitenoise, as in production) with a server
whose queue is 1,024 deep (the kernel caps it at ``net.core.somaxconn``).
"""

from django.core.servers.basehttp import WSGIServer
from whitenoise.runserver_nostatic.management.commands.runserver import (  # type: ignore[import-untyped]  # no stubs
    Command as Base,
)

#: Connections the kernel queues while the server is busy accepting others.
BACKLOG = 1024


class DeepQueueWSGIServer(WSGIServer):
    request_queue_size = BACKLOG


class Command(Base):
    server_cls = DeepQueueWSGIServer
