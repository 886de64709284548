"""A live server with CSRF on, and a page in Debian's headless Chromium driven by Playwright."""

import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM is None:
        skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def live_server(csrf_app: Flask) -> Iterator[str]:
    """The app, CSRF protection on as in production, served over real HTTP on loopback."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def _chromium_process() -> Iterator[object]:
    """One Chromium per worker: starting it costs a second or two, a fresh context nothing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def chromium(_chromium_process: Any) -> Iterator[Any]:
    """The worker's Chromium. Each page a test opens is a context of its own (no cookies or
    storage shared), and every one is closed when the test ends."""
    yield _chromium_process
    for context in _chromium_process.contexts:
        context.close()


@pytest.fixture
def browser_page(chromium) -> object:
    return chromium.new_page(locale="en-US", viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(chromium) -> object:
    return chromium.new_page(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True)
