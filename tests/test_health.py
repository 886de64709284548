import pytest

from crm import create_app
from tests.helpers import TEST_SETTINGS


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "unreachable_url",
    [
        "sqlite:////nonexistent-directory/for-crm-tests/crm.sqlite3",
        "postgresql+psycopg://postgres@127.0.0.1:1/crm",  # nothing listens on port 1
    ],
    ids=["sqlite-in-missing-directory", "postgresql-on-closed-port"],
)
def test_healthz_answers_503_without_a_stack_trace_when_the_database_is_unreachable(
    unreachable_url,
):
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": unreachable_url})

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text


def test_healthz_needs_no_login(client):
    response = client.get("/healthz", headers={"Accept": "text/html"})

    assert response.status_code == 200
