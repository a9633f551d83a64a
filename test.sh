#!/usr/bin/env bash
# Runs every test and fails when any fails: the xunit suite (engine end to end against the loopback
# emulator, including the real OS-protected token store) and the Pester suite (the cmdlets on the
# pinned pwsh, a .NET local tool, against the standalone emulator). Both run inside one D-Bus session
# with an unlocked gnome-keyring, so the Protected token cache is tested for real.
# Needs: .NET SDK 10; Node 20 + npm; the Debian packages dbus, libsecret-1-0, gnome-keyring, chromium (.ci/run
# installs them).
# Without them the keyring tests FAIL; on a machine that really has no keyring support,
# FITBITPS_NO_KEYRING=1 skips them with that reason shown.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${FITBITPS_IN_KEYRING_SESSION:-}" ]; then
  if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
    export FITBITPS_IN_KEYRING_SESSION=1
    exec dbus-run-session -- bash tests/with-unlocked-keyring.sh bash "$0" "$@"
  fi
  echo "test.sh: dbus-run-session/gnome-keyring not found; the OS keyring tests will fail (FITBITPS_NO_KEYRING=1 skips them)" >&2
fi

dotnet tool restore >/dev/null
# The report's browser tests drive Debian's chromium with playwright-core (npm); .ci/run installs both.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || echo "test.sh: chromium not found; the report's browser tests will fail (apt-get install chromium, or set CHROMIUM)" >&2
dotnet build FitbitPS.sln -c Release -nologo -v q

status=0
dotnet test FitbitPS.sln -c Release --no-build -nologo --logger "console;verbosity=normal" || status=1
dotnet pwsh -NoProfile -File ./build.ps1 -Test -SkipXunit -NoBuild || status=1
if [ "$status" -ne 0 ]; then echo "test.sh: FAILED (xunit and/or Pester; see above)" >&2; fi
exit "$status"
