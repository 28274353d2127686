#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded browser build).
# Installs the Debian packages when they are missing and we may (root, apt present).
# fonts-nanum: Korean glyphs, so the layout tests measure real text and screenshots are
# readable (without it Hangul renders as empty boxes).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
   && [ -e /usr/share/fonts/truetype/nanum/NanumGothic.ttf ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: /usr/bin/chromium is missing and cannot be installed here;" \
       "browser tests will be skipped. Install the Debian packages chromium and chromium-driver." >&2
  exit 0
fi
echo "ensure-chromium: installing Debian packages chromium, chromium-driver, fonts-nanum" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver fonts-nanum >/dev/null
