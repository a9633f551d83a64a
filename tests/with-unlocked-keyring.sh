#!/usr/bin/env bash
# Starts gnome-keyring's Secret Service inside the current D-Bus session and unlocks its "login"
# collection, then runs the given command. Use inside dbus-run-session:
#   dbus-run-session -- bash tests/with-unlocked-keyring.sh dotnet test FitbitPS.sln
# This is what a headless Linux box (cron, SSH, CI) needs for FitbitPS's Protected token cache;
# docs/authentication.md, "Linux without a desktop keyring", explains it for real use.
# The keyring files go to a throwaway folder (FITBITPS_KEYRING_DIR to choose one), so tests never
# touch the login keyring in your HOME; the password is FITBITPS_KEYRING_PASSWORD (default fitbitps-test).
set -euo pipefail
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "with-unlocked-keyring.sh: no D-Bus session; run it as: dbus-run-session -- bash $0 <command>" >&2
  exit 2
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
keyring_dir="${FITBITPS_KEYRING_DIR:-$(mktemp -d)}"
mkdir -p "$keyring_dir"
# --unlock reads the password from stdin; an empty keyring folder gets a new login keyring with it.
eval "$(printf '%s' "${FITBITPS_KEYRING_PASSWORD:-fitbitps-test}" | XDG_DATA_HOME="$keyring_dir" gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
eval "$(XDG_DATA_HOME="$keyring_dir" gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL 2>/dev/null || true
exec "$@"
