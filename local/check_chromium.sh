#!/bin/sh
# The browser tests (the catalog site, tests/e2e/test_pipeline.py) drive Debian's Chromium
# through Playwright: installed here once with apt-get when it is missing and we may.
set -e
CHROMIUM="${SDL_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (apt-get, once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "The browser tests need Chromium: sudo apt-get install chromium (or set SDL_CHROMIUM to a Chromium binary)." >&2
exit 1
