"""Headless Chromium (Debian ``chromium`` + ``chromium-driver``) driven by Selenium, for gallery tests.

Nothing is downloaded: the system browser and driver are used explicitly, so Selenium
Manager never goes to the network.  :func:`check_page` loads a page from disk and reports
every image that did not load and every link whose target does not exist.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).is_file()), None)
CHROMEDRIVER = next((p for p in (shutil.which("chromedriver"), "/usr/bin/chromedriver")
                     if p and Path(p).is_file()), None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files", "--hide-scrollbars")


def available() -> bool:
    if CHROMIUM is None or CHROMEDRIVER is None:
        return False
    import importlib.util

    return importlib.util.find_spec("selenium") is not None


@contextmanager
def chromium(width: int = 1440, height: int = 900) -> Iterator[Any]:
    """A headless Chromium WebDriver with a laptop-sized window."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM  # type: ignore[assignment]
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--window-size={width},{height}")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


_IMAGES_JS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
imgs.forEach(i => { i.loading = 'eager'; });
const wait = imgs.map(i => i.complete ? Promise.resolve() :
  new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); }));
Promise.all(wait).then(() => done(imgs.map(i => [i.getAttribute('src'), i.naturalWidth, i.currentSrc])));
"""


def check_page(driver: Any, page: Path) -> dict[str, Any]:
    """Open ``page`` via file://; return images, broken images, links and broken links."""
    driver.set_script_timeout(60)
    driver.get(page.resolve().as_uri())
    images = driver.execute_async_script(_IMAGES_JS)
    broken_images = [src for src, w, _ in images if not w]
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => [a.getAttribute('href'), a.href]);")
    ids = set(driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id);"))
    broken_links = []
    for raw, absolute in links:
        url = urlparse(absolute)
        if raw.startswith("#"):
            if unquote(raw[1:]) not in ids:
                broken_links.append(raw)
        elif url.scheme != "file" or not Path(unquote(url.path)).is_file():
            broken_links.append(raw)
    return {"images": images, "broken_images": broken_images, "links": links, "broken_links": broken_links,
            "title": driver.title}


def screenshot(driver: Any, dest: Path, *, full_page: bool = True) -> Path:
    """Save a PNG of the page (the full scroll height, capped, when ``full_page``)."""
    if full_page:
        width = driver.execute_script("return window.outerWidth;")
        driver.set_window_size(width, 900)  # measure from a laptop-sized window, not the last page's
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000);")
        driver.set_window_size(width, max(900, int(height)))
    driver.save_screenshot(str(dest))
    return dest
