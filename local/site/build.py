"""Build the catalog site (`make docs`, and `make run-local` at its end): static HTML under the
lake's state folder, opened from disk or served by `python -m local serve` on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
from collections.abc import Sequence
from pathlib import Path

from jobs.runtime.run_record import RunRecord
from local.site import pages
from local.site.facts import PRODUCTS, Lake, run_examples

SITE_FOLDER = "site"  # under the lake's state folder


def build_site(database: Path, out: Path, queries: Path, latest: Sequence[RunRecord] = ()) -> list[Path]:
    """Write every page; returns their paths (the index first). `latest`: the run records of
    the pipeline run just made, for its report (a site rebuilt without them keeps the report
    it has)."""
    lake = Lake(database)
    try:
        examples = run_examples(lake.db, queries, lake.today())
        written = {
            "index.html": pages.index_page(lake),
            "business.html": pages.business_page(lake),
            "runs.html": pages.runs_page(lake),
            "style.css": pages.STYLE,
        }
        if latest:
            written["report.html"] = pages.run_report_page(lake, latest)
        elif not (out / "report.html").exists():
            written["report.html"] = pages.run_report_page(lake, [])
        written |= {pages.page_name(t.qualified_name): pages.table_page(lake, t, examples) for t in PRODUCTS}
    finally:
        lake.close()
    paths = []
    for name, text in written.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
    return paths


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        pass


def site_server(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A server of the site's folder on 127.0.0.1 only (port 0: a free one)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(folder: Path, port: int) -> None:
    """Serve the site until interrupted."""
    with site_server(folder, port) as server:
        print(f"the catalog site: http://127.0.0.1:{server.server_address[1]}/index.html (Ctrl-C stops it)")
        server.serve_forever()
