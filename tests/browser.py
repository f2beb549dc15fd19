"""The browser tests' helpers (tests/test_browser_*.py): Debian's Chromium
driven by Playwright, the ``Web`` session of one test, sample photos. Its
fixtures are offered to every test through conftest.py."""
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import requires_postgres  # defined before conftest imports this module

# --- browser tests (tests/test_browser_*.py) --------------------------------
CHROMIUM = "/usr/bin/chromium"  # Debian's package; .ci/run installs it, Playwright never downloads one
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ARTIFACTS = Path(__file__).parent / "artifacts"
README_SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module, driven by Playwright's sync API."""
    requires_postgres()  # the live server's threads share the test database: PostgreSQL only
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {CHROMIUM} is absent (apt-get install chromium)")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of
    # the test itself (setting up data, checking it) are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    """Every browser test runs on an office PC's screen and on a 390-pixel phone."""
    return request.param


class Web:
    """The pages as users see them: one browser context per user at the test's
    viewport, in Chinese, logged in through the login form. Every request and
    every console error is recorded; screenshots go to tests/artifacts/."""

    def __init__(self, chromium, live_server, viewport: str, test_name: str):
        self.chromium = chromium
        self.base = live_server.url
        self.host = urlsplit(live_server.url).netloc
        self.viewport = viewport
        self.test_name = test_name.removeprefix("test_")
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.contexts = []
        self.clicks = 0  # clicks a person made (trusted click events), in every page of the session
        self.loads = 0  # pages loaded (main-frame documents; a redirect's target counts once)

    @property
    def phone(self) -> bool:
        return self.viewport == "phone"

    def new_page(self):
        context = self.chromium.new_context(
            viewport=VIEWPORTS[self.viewport], locale="zh-CN", timezone_id="Asia/Shanghai",
            is_mobile=self.phone, has_touch=self.phone,
        )
        context.set_default_timeout(10_000)
        context.expose_function("__countClick", self._count_click)
        context.add_init_script("document.addEventListener('click', e => e.isTrusted && window.__countClick(), true);")
        self.contexts.append(context)
        page = context.new_page()
        page.on("framenavigated", lambda frame: frame == page.main_frame and self._count_load())
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(f"{page.url}: {message.text}"))
        return page

    def _count_click(self):
        self.clicks += 1

    def _count_load(self):
        self.loads += 1

    def login(self, user, password="pw-123456"):
        """Log in through the form; the officer lands on their inbox."""
        from playwright.sync_api import expect

        page = self.new_page()
        page.goto(self.base + "/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page).to_have_url(self.base + "/")
        expect(page.locator("h1").first).to_contain_text("我的待办")
        return page

    def go(self, page, path: str):
        """Open a page of the test server; the response."""
        return page.goto(self.base + path)

    def shot(self, page, name: str, readme: str | None = None):
        """Save the page as tests/artifacts/<test>-<viewport>-<name>.png; with
        README_SCREENSHOTS=1 the desktop shot named ``readme`` also refreshes
        docs/screenshots/<readme>.png."""
        self.check_layout(page)
        for image in page.locator("img").all():  # photos load lazily: bring each into view once
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, 0)")
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.test_name}-{self.viewport}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if readme and not self.phone and os.environ.get("README_SCREENSHOTS") == "1":
            shutil.copyfile(path, README_SCREENSHOTS / f"{readme}.png")
        return path

    def check_layout(self, page):
        """Nothing wider than the screen: a phone never scrolls the page sideways."""
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[self.viewport]["width"], f"{page.url} is {width}px wide on a {self.viewport}"

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("data:") and urlsplit(url).netloc != self.host]

    def finish(self):
        """What every browser test ends with: no request left the test server, no page logged an error."""
        assert self.requests, "no request was recorded"
        assert not self.foreign_requests(), f"requests to other hosts: {self.foreign_requests()}"
        assert not self.console_errors, f"errors in the browser console: {self.console_errors}"

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def web(request, chromium, live_server, transactional_db, viewport, settings, tmp_path):
    """Browser tests run against a live server on PostgreSQL."""
    settings.MEDIA_ROOT = tmp_path
    session = Web(chromium, live_server, viewport, request.node.originalname)
    yield session
    session.close()


def sample_photo(path: Path, colour: tuple, label: str = "") -> Path:
    """A small PNG standing in for an inspector's photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 90, 330, 250), outline=(255, 255, 255), width=8)
    draw.text((20, 20), label, fill=(255, 255, 255))
    image.save(path, "PNG")
    return path
