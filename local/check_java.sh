#!/usr/bin/env sh
# Spark 4.1 needs Java 17 or newer. Stop early with a message that says how to get it.
set -eu
hint="Install Java 17+, e.g. 'sudo apt-get install -y openjdk-17-jre-headless' (Debian/Ubuntu) or 'brew install openjdk@17' (macOS), then re-run."
if ! command -v java >/dev/null 2>&1; then
  echo "error: java was not found on PATH. $hint" >&2
  exit 1
fi
major=$(java -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
  echo "error: Java $major found, Spark 4.1 needs 17 or newer. $hint" >&2
  exit 1
fi
