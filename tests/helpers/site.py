"""The catalog site's pages read back: the links a page makes to other files of the site."""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("http:", "https:", "#", "mailto:")):
                self.found.append(value)


def local_links(html: str) -> list[str]:
    """Every href and src of a page that names a file of the site (relative to the page)."""
    parser = _Links()
    parser.feed(html)
    return parser.found


# Headless, and quiet on this closed network: no background connections, updates or sync.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str:
    """Debian's Chromium (`make test-local` installs it with apt-get), or $SDL_CHROMIUM."""
    path = os.environ.get("SDL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        raise FileNotFoundError(f"no Chromium at {path}: `make browser` installs Debian's (apt-get install chromium)")
    return path
