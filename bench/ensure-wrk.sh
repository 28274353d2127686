#!/usr/bin/env bash
# The load part of bench/web.py drives the server with wrk (the Debian package).
# Installs it when missing and we may (root, apt present); otherwise the load part is
# skipped with a message.
set -euo pipefail
if command -v wrk >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "ensure-wrk: wrk is missing and cannot be installed here; the load benchmark" \
       "will be skipped. Install the Debian package wrk." >&2
  exit 0
fi
echo "ensure-wrk: installing the Debian package wrk" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq wrk >/dev/null
