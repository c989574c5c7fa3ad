#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (Playwright drives it through
# executablePath; it never downloads a browser). NEUVO_CHROMIUM points to another Chromium.
set -euo pipefail
chromium=${NEUVO_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null \
        || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null; }
    exit 0
fi
echo "error: $chromium not found: install it with 'sudo apt-get install chromium chromium-driver' or set NEUVO_CHROMIUM" >&2
exit 1
