#!/usr/bin/env bash
# Builds FitbitPS and runs its main job without PowerShell: the demo starts the bundled emulator of
# Google OAuth + Health API v4 on 127.0.0.1, signs in through the engine, prints a week of sleep and
# exports every kind of record into ./demo-export (run it twice: the second export adds nothing).
# Needs only the .NET 10 SDK. Arguments go to the demo, e.g.:
#   bash build.sh --out ./elsewhere
#   bash build.sh --client-secrets ~/Downloads/client_secret_XXXX.json   # your own Google account
# The importable PowerShell module is laid out in out/FitbitPS/ by the same build.
set -euo pipefail
cd "$(dirname "$0")"

dotnet restore FitbitPS.sln -nologo -v q
dotnet build FitbitPS.sln -c Release --no-restore -nologo -v q
echo "Module: $(pwd)/out/FitbitPS/FitbitPS.psd1"
dotnet run --project samples/FitbitPS.Demo -c Release --no-build -- "$@"
