#!/usr/bin/env bash
# `npm test`: the whole suite. Unit and integration tests (vitest), then the browser end-to-end
# tests (Playwright in Debian's Chromium) against the built app. Integration tests run on PGlite,
# or on PostgreSQL when DATABASE_URL is set (CI runs both).
set -euo pipefail
cd "$(dirname "$0")/.."

# What a bare Debian machine lacks for the tests; installed here so that `npm test` alone
# does the set-up (these machines run as root and reach Debian's packages).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# pdftotext reads the printed PDFs back (JRN-5): an independent reader of what the app wrote.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# oathtool: an independent TOTP implementation the AUTH-3 cross-check compares the server's codes
# with. Installed where this script can (root with apt); elsewhere that one check says why it skips.
if ! command -v oathtool >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing+=(oathtool)
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} (apt) for the tests …"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "== build"
npx electron-vite build >/dev/null

if [ -n "${DATABASE_URL:-}" ]; then database=PostgreSQL; else database=PGlite; fi
echo "== unit and integration tests (database: $database)"
# The real-keychain test needs a Secret Service: run the suite inside a private D-Bus session with
# an unlocked gnome-keyring when the machine has them; without them that one test says why it skips.
# The keyring lives in a throw-away folder, so no earlier keyring (with another password) is reused.
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  keyring_home=$(mktemp -d)
  trap 'rm -rf "$keyring_home"' EXIT
  XDG_DATA_HOME="$keyring_home" dbus-run-session -- bash -c 'printf "jk-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec npx vitest run' 2> >(grep -v -E "dbus-daemon|gcr-prompter|Gtk-WARNING|^$" >&2)
else
  npx vitest run
fi

echo "== browser end-to-end tests (Chromium)"
npx playwright test
