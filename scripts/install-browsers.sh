#!/usr/bin/env bash
# Install the Debian browsers the tests drive (never a downloaded browser build):
# chromium (Playwright), firefox-esr, webkit2gtk-driver (WebKitWebDriver + MiniBrowser), xvfb,
# and a Java runtime for the Nu Html Checker.
# Idempotent: does nothing when every binary is already there.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v firefox-esr >/dev/null || need+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || need+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || need+=(xvfb)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v java >/dev/null || need+=(default-jre-headless)   # the Nu Html Checker (vnu.jar)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing browser packages: ${need[*]}. Run as root, or: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
