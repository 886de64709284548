"""After login (and the language switch) the browser goes only to a path of this site."""

from urllib.parse import urlsplit

import pytest

from crm.auth.redirects import safe_next_path
from models import db
from tests.factories import PASSWORD

HOSTILE = [
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "//evil.example/enterprises/",
    "https://evil.example/",
    "http:evil.example",
    "http:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "evil.example",
    "@evil.example",
    ".//evil.example",
    "",
]
# Query strings arrive decoded once: these are what a hostile link puts in the address bar.
ENCODED = ["%2F%2Fevil.example", "%2F%5Cevil.example", "/%2F%2Fevil.example", "%252F%252Fhost"]
SAME_SITE = ["/admin/users", "/enterprises/?q=%E5%A4%A7%E5%AE%81&page=2", "/", "/visits/#top"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert safe_next_path(target) is None


@pytest.mark.parametrize("target", SAME_SITE)
def test_same_site_paths_pass(target):
    assert safe_next_path(target) == target


def ends_on_this_site(location: str) -> bool:
    parts = urlsplit(location)
    # What a browser does with the header: backslashes are slashes, tabs and newlines vanish.
    browser = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    return (
        parts.scheme in {"", "http"}
        and parts.netloc in {"", "localhost"}
        and not browser.startswith("//")
    )


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_redirects_to_another_site(client, manager, target):
    db.session.commit()

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": manager.username, "password": PASSWORD},
    )

    assert response.status_code in {302, 422}  # 422: a NUL anywhere in a request is refused
    if response.status_code == 302:
        assert response.location == "/today/"  # the manager's first page
        assert ends_on_this_site(response.location)


@pytest.mark.parametrize("raw", ENCODED)
def test_login_refuses_percent_encoded_tricks_in_the_query_string(client, manager, raw):
    db.session.commit()

    response = client.post(
        f"/login?next={raw}", data={"username": manager.username, "password": PASSWORD}
    )

    assert ends_on_this_site(response.location)
    assert not response.location.startswith("//")


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_redirects_to_another_site(client, app, target):
    response = client.post("/language/en", data={"next": target})

    assert response.status_code in {302, 422}
    assert response.status_code == 422 or ends_on_this_site(response.location)


def test_the_language_switch_returns_to_the_page_it_was_used_on(client, manager):
    db.session.commit()

    response = client.post("/language/en", data={"next": "/enterprises/?q=a"})

    assert response.location == "/enterprises/?q=a"
