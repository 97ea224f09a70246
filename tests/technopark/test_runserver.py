"""The demo's server queues a burst of connections instead of resetting them."""

import socket

from django.core.management import get_commands, load_command_class
from django.core.servers.basehttp import WSGIRequestHandler

BURST = 200


def _runserver_class():
    return load_command_class(get_commands()["runserver"], "runserver")


def test_runserver_is_the_projects_deep_queue_command():
    command = _runserver_class()
    assert type(command).__module__ == "technopark.management.commands.runserver"
    # Still whitenoise's wrapper: static files are served as in production.
    assert (
        command.create_parser("manage.py", "runserver").get_default("use_static_handler") is False
    )


def test_a_burst_of_200_connections_waits_in_the_queue_while_the_server_is_busy():
    """The server accepts nothing meanwhile (as when all its threads are busy).

    With Django's queue of 10, the 12th connection and later wait for the
    kernel's SYN retries; with the project's queue every one is accepted by
    the kernel at once.
    """
    server = _runserver_class().server_cls(("127.0.0.1", 0), WSGIRequestHandler)
    port = server.server_address[1]
    clients = []
    try:
        for _ in range(BURST):
            client = socket.socket()
            client.settimeout(0.5)
            client.connect(("127.0.0.1", port))  # raises TimeoutError once the queue is full
            clients.append(client)
        assert len(clients) == BURST
    finally:
        for client in clients:
            client.close()
        server.server_close()
