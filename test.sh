#!/usr/bin/env bash
# Runs every test: the xunit suite (engine end to end against the loopback emulator, including the
# real OS-protected token store inside a D-Bus session with an unlocked gnome-keyring) and, where
# pwsh exists, the Pester suite against the built module.
# Needs: .NET SDK 10; for the keyring tests the Debian packages dbus, libsecret-1-0, gnome-keyring
# (.ci/run installs them). Without them the keyring tests FAIL; on a machine that really has no keyring
# support, FITBITPS_NO_KEYRING=1 skips them with that reason shown.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build FitbitPS.sln -c Release -nologo -v q

if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  dbus-run-session -- bash tests/with-unlocked-keyring.sh \
    dotnet test FitbitPS.sln -c Release --no-build -nologo --logger "console;verbosity=normal"
else
  echo "test.sh: dbus-run-session/gnome-keyring not found; the OS keyring tests will fail (FITBITPS_NO_KEYRING=1 skips them)" >&2
  dotnet test FitbitPS.sln -c Release --no-build -nologo --logger "console;verbosity=normal"
fi

if command -v pwsh >/dev/null 2>&1; then
  pwsh -NoProfile -File ./build.ps1 -Test -SkipXunit
else
  echo "test.sh: pwsh not found; Pester tests (tests/pester) not run on this machine"
fi
