"""Drivers for the non-Chromium browsers the widget tests run in: WebKitGTK and Firefox ESR (Debian's)."""
