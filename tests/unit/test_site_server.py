"""`python -m local serve`: the site's folder over HTTP, on 127.0.0.1 only."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest

from local.site.build import site_server


def test_the_site_is_served_on_loopback_only(tmp_path):
    (tmp_path / "index.html").write_text("<h1>Data products</h1>")
    server = site_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5) as response:
            assert response.status == 200 and b"Data products" in response.read()
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/missing.html", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
