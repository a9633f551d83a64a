#!/usr/bin/env bash
# Builds FitbitPS and runs its main job in PowerShell: the pinned pwsh (a .NET local tool, see
# .config/dotnet-tools.json) starts the bundled emulator of Google OAuth + Health API v4 on 127.0.0.1,
# imports the module, signs in with Connect-Fitbit, prints a week of sleep and exports every kind of
# record into ./demo-export (run it twice: the second export adds nothing).
# Needs only the .NET 10 SDK. Arguments go to build.ps1, e.g.:
#   bash build.sh -DemoPath ./elsewhere
#   bash build.sh -ClientSecretFile ~/Downloads/client_secret_XXXX.json   # your own Google account
set -euo pipefail
cd "$(dirname "$0")"

dotnet tool restore >/dev/null
dotnet restore FitbitPS.sln -nologo -v q
dotnet build FitbitPS.sln -c Release --no-restore -nologo -v q
dotnet pwsh -NoProfile -File ./build.ps1 -Demo -NoBuild "$@"
