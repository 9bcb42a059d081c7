"""Pages in a real browser with the network cut: Debian's chromium, driven by Playwright.

Chromium runs inside its own empty network namespace (``unshare -n``) where the machine allows
it, and every request that is not the page's own file is refused and recorded, so a test can
assert that a page asked for nothing.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium(folder: Path) -> str:
    """Debian's chromium, wrapped in ``unshare -n`` when the machine lets us cut its network."""
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(browser).exists():
        pytest.fail("no chromium: `make setup` installs Debian's chromium")
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], check=False).returncode == 0:
        wrapper = folder / "chromium-offline"
        wrapper.write_text(f'#!/bin/sh\nexec {unshare} -n {browser} "$@"\n')
        wrapper.chmod(0o755)
        return str(wrapper)
    return browser


@pytest.fixture(scope="session")
def chromium(tmp_path_factory) -> Iterator:
    """One headless Chromium for the session (Playwright, pointed at Debian's executable)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(folder), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class OpenPage:
    """A page opened offline: the Playwright page and every request it tried to make."""

    page: object
    asked: list[str] = field(default_factory=list)  # every URL requested but the file itself

    def js(self, expression: str):
        return self.page.evaluate(expression)  # type: ignore[attr-defined]

    def canvas(self) -> np.ndarray:
        """(h, w, 3) the canvas as the browser shows it."""
        shot = self.page.locator("#canvas").screenshot()  # type: ignore[attr-defined]
        return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=int)


@pytest.fixture
def open_page(chromium):
    """``open_page(path, fragment, width=1280, height=780)``: the page, opened and drawn."""
    opened = []

    def open_(path: Path, fragment: str = "", width: int = 1280, height: int = 780) -> OpenPage:
        page = chromium.new_page(viewport={"width": width, "height": height})
        result = OpenPage(page)
        own = path.resolve().as_uri()

        def route(request_route) -> None:
            url = request_route.request.url
            if url.split("#")[0] == own:
                request_route.continue_()
            else:
                result.asked.append(url)
                request_route.abort()

        page.route("**/*", route)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(own + (f"#{fragment}" if fragment else ""))
        page.wait_for_function(
            "window.netmorph && (window.netmorph.ready || window.netmorph.error)"
        )
        assert not errors and not page.evaluate("window.netmorph.error || null"), errors
        opened.append(page)
        return result

    yield open_
    for page in opened:
        page.close()


def colour_share(pixels: np.ndarray, rgb: tuple[float, float, float], within: int = 30) -> float:
    """Share of ``pixels`` (h, w, 3) within ``within`` levels of ``rgb`` (0..1 floats)."""
    target = np.array(rgb) * 255
    return float((np.abs(pixels - target).max(axis=2) <= within).mean())
