#!/usr/bin/env bash
# Starts gnome-keyring's Secret Service inside the current D-Bus session and unlocks the default
# ("login") collection, then runs the given command. This is what a headless Linux box (cron, SSH)
# needs for FitbitPS's Protected token cache; README "Linux without a desktop keyring" explains it.
set -euo pipefail
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
# --unlock reads the keyring password from stdin; a fresh HOME gets a new login keyring with it.
eval "$(printf '%s' "${FITBITPS_KEYRING_PASSWORD:-fitbitps-test}" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
exec "$@"
