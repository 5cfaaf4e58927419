"""Browser fixtures for the end-to-end journeys.

The browser is Debian's Chromium (``apt-get install chromium``), never one downloaded by
``playwright install``: set ``CHROMIUM_PATH`` to use another binary. Without a browser the
tests are skipped, unless ``CCHC_REQUIRE_BROWSER=1`` (CI), where they fail.
"""

import os
import re
import shutil

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse
# the ORM calls the tests make (load_demo) with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The site is mobile-first: journeys run on a phone-sized screen.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}
# A loaded machine (a shared CI runner) may set CCHC_E2E_TIMEOUT_MS higher.
TIMEOUT_MS = int(os.environ.get("CCHC_E2E_TIMEOUT_MS") or 10_000)
# Every demo account (``load_demo``) has this password.
DEMO_PASSWORD = "demo12345"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: browser journey through a live server (needs Chromium)")


def _chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CCHC_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "CCHC_REQUIRE_BROWSER=1 but no Chromium was found: install it with "
                "`apt-get install chromium` or set CHROMIUM_PATH to the binary.",
                pytrace=False,
            )
        pytest.skip("Chromium not installed: apt-get install chromium")

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def context_factory(browser):
    """Open phone-sized browser contexts (extra options override the defaults); all closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory):
    """A fresh page in its own context, with a phone viewport."""
    return context_factory().new_page()


@pytest.fixture
def login(live_server):
    """``login(page, username)``: sign in through the login form, as a person would; returns the page."""
    from playwright.sync_api import expect

    def sign_in(page, username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/tai-khoan/login/")
        page.get_by_label("Tên đăng nhập hoặc thư điện tử").fill(username)
        page.get_by_label("Mật khẩu", exact=True).fill(password)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/tai-khoan/login/"))
        expect(page.get_by_role("button", name=re.compile(r"^Đăng xuất"))).to_be_visible()
        return page

    return sign_in


@pytest.fixture
def site(live_server):
    """The live server's URL, with the demo accounts and catalogue (a transactional test may have flushed them)."""
    from cchc.demo.loader import load_demo

    load_demo()
    return live_server.url


@pytest.fixture
def person(context_factory, login):
    """``person(username)``: a page in that person's own browser context, signed in."""

    def open_as(username: str):
        return login(context_factory().new_page(), username)

    return open_as
