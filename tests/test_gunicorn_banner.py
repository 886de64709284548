"""Under gunicorn, as production and the benchmarks run it, no answer names the server's version."""

from benchmarks.serving import Client, gunicorn
from crm.gunicorn_config import SERVER_NAME


def test_gunicorn_answers_without_naming_itself_or_its_version(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"  # /healthz only asks SELECT 1

    with gunicorn(database_url, tmp_path, workers=1) as server:
        answer = Client(server.port).request("GET", "/healthz")

    assert answer.status == 200
    assert answer.headers["Server"] == SERVER_NAME
    assert "gunicorn" not in str(answer.headers).lower()
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
