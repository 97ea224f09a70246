import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_does_not():
    # A real connection attempt to a port where nothing listens, through the pool.
    saved = connection.settings_dict.copy()
    connection.close()
    connection.close_pool()
    try:
        connection.settings_dict.update(
            HOST="127.0.0.1",
            PORT="1",
            OPTIONS={**saved["OPTIONS"], "pool": {"min_size": 1, "timeout": 1.0}},
        )
        response = Client().get("/healthz")
    finally:
        connection.close()
        connection.close_pool()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert response["Retry-After"] == "10"  # load balancers and clients wait as the pages say
