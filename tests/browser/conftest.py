"""Playwright on the system's Chromium against pytest-django's live server.

Chromium comes from Debian (`/usr/bin/chromium`, or SAMTALE_CHROMIUM); Playwright never downloads a
browser. Without it the browser tests skip locally and fail in CI (CI=true), so a CI run can never
pass while silently testing nothing. Every page a test visits goes through `check`, which runs axe-core
(zero violations of any impact allowed) and writes a screenshot to `screenshots/`.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the test
# itself (factories, asserts) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SAMTALE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
WIDTHS = {"phone": 375, "desktop": 1280}
# A full-page screenshot of a long page took more than the 15 s default while the suite ran beside
# other work on two cores; the picture is a by-product, not what the test checks.
SCREENSHOT_TIMEOUT_MS = 60_000
BROWSER_LOCALES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Visitor:
    """One person in one browser context: a language, a width and a session."""

    browser: object
    axe: object
    base_url: str
    language: str = "nb"
    width: int = 1280
    javascript: bool = True
    checked: list = field(default_factory=list)

    def __post_init__(self):
        self.context = self.browser.new_context(
            viewport={"width": self.width, "height": 900},
            locale=BROWSER_LOCALES[self.language],
            java_script_enabled=self.javascript,
        )
        self.context.set_default_timeout(15_000)
        self._cookie(settings.LANGUAGE_COOKIE_NAME, self.language)
        self.page = self.context.new_page()

    def _cookie(self, name: str, value: str) -> None:
        self.context.add_cookies([{"name": name, "value": value, "url": self.base_url}])

    def log_in_as(self, user) -> "Visitor":
        """A session without the login form (the form itself is walked in the year walk)."""
        client = Client()
        client.force_login(user)
        self._cookie(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
        return self

    def go(self, path: str, name: str | None = None):
        response = self.page.goto(self.base_url + path)
        if name:
            self.check(name)
        return response

    def _scripted_copy(self):
        """The page as it is now, loaded at the same address in a context with scripts: axe-core is a
        script, so a visitor without JavaScript has its markup checked there."""
        if getattr(self, "_mirror", None) is None:
            self._mirror_context = self.browser.new_context(
                viewport={"width": self.width, "height": 900}, java_script_enabled=True
            )
            self._mirror = self._mirror_context.new_page()
        html, address = self.page.content(), self.page.url
        self._mirror.route(
            address, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
        )
        self._mirror.goto(address)
        self._mirror.unroute(address)
        return self._mirror

    def check(self, name: str) -> None:
        """axe-core on the page as it is now, then a full-page screenshot. Any violation fails, minor
        ones too."""
        results = self.axe.run(self.page if self.javascript else self._scripted_copy())
        blocking = results.response["violations"]
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{self.language}-{self.width}-{_slug(name)}.png"),
            full_page=True,
            timeout=SCREENSHOT_TIMEOUT_MS,
        )
        self.checked.append(name)
        assert not blocking, f"axe on {name} ({self.language}, {self.width}px):\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in blocking
        )

    def expect_message(self, text: str) -> None:
        from playwright.sync_api import expect

        # After a full page load the messages are in base.html's list; after an in-place (htmx) change
        # in the conversation page's live region.
        expect(self.page.locator(".messages, #page-messages").filter(has_text=text).first).to_be_visible()

    def close(self) -> None:
        self.context.close()
        if getattr(self, "_mirror", None) is not None:
            self._mirror_context.close()


@pytest.fixture
def visitor(browser, axe, live_server):
    """`visitor(language="nb", width=1280, javascript=True)` opens a fresh browser context on the live
    server (`javascript=False`: the pages as a browser without scripts gets them)."""
    opened = []

    def make(language: str = "nb", width: int = 1280, javascript: bool = True) -> Visitor:
        v = Visitor(
            browser=browser,
            axe=axe,
            base_url=live_server.url,
            language=language,
            width=width,
            javascript=javascript,
        )
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()
