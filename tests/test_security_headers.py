"""Every response carries the security headers, and no template needs inline script or style."""

import re
from pathlib import Path

import pytest

from crm.security_headers import CONTENT_SECURITY_POLICY
from tests.helpers import log_in

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# What a policy without 'unsafe-inline' would block: a <script> that runs (JSON data blocks do
# not), an on...= handler, a javascript: link, a style="" attribute.
INLINE_PATTERNS = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
}


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/api/v1/openapi.json",
        "/api/v1/enterprises",
        "/static/css/app.css",
        "/static/js/page.js",
        "/no-such-page",
        "/healthz",
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client, path):
    with client.get(path) as response:  # static files are sent from an open file
        headers = {name: response.headers.get(name) for name in EXPECTED}

    assert headers == EXPECTED


def test_a_logged_in_page_carries_them_too(client, manager):
    log_in(client, manager)

    response = client.get("/enterprises/")

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_allows_no_inline_script_style_or_framing():
    directives = dict(
        directive.strip().split(" ", 1) for directive in CONTENT_SECURITY_POLICY.split(";")
    )

    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_holds_inline_script_handlers_or_styles():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {kind}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for kind, pattern in INLINE_PATTERNS.items()
        if pattern.search(line)
    ]

    assert found == []
