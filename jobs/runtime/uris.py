"""The lake's URIs, spelled one way: a local file is `file:/abs/path` (or a plain path), any
other file system keeps its scheme (`s3://bucket/key`). Every comparison, relative path and
local path the lake takes from a URI goes through here."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

LOCAL = "file:"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def canonical(uri: str) -> str:
    """One spelling per file: Spark's `file:///a%20b` and Hadoop's `file:/a b` are the same."""
    text = unquote(uri)
    return LOCAL + "/" + text.removeprefix(LOCAL).lstrip("/") if text.startswith(LOCAL) else text


def plain(uri: str) -> str:
    """A local file's path (no scheme), any other URI as it is; no trailing slash. Locations
    the catalog holds (`file:/a`) and URIs the lake builds (`/a`) compare equal this way."""
    return canonical(uri).removeprefix(LOCAL).rstrip("/")


def within(location: str, root: str) -> bool:
    """`location` is `root` or lies below it."""
    inner, outer = plain(location), plain(root)
    return inner == outer or inner.startswith(outer + "/")


def relative_to(uri: str, root: str) -> str:
    """The path of `uri` below `root` (`k=v/part-0.parquet`)."""
    if not within(uri, root):
        raise ValueError(f"{uri} is not below {root}")
    return plain(uri).removeprefix(plain(root)).lstrip("/")


def local_path_of(uri: str) -> Path | None:
    """The local path a `file:` URI or a plain path names; None for any other file system
    (s3://). Taken as written: the lake's URIs name files as the file system does (Spark's
    percent-encoded ones are decoded as they are read), so `#`, `%` or `?` in a name is the name."""
    if uri.startswith(LOCAL):
        return Path(os.path.abspath("/" + uri.removeprefix(LOCAL).lstrip("/")))
    if _SCHEME.match(uri):
        return None
    return Path(os.path.abspath(uri))


def local_uri(path: str | Path) -> str:
    return LOCAL + str(path)
