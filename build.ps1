<#
.SYNOPSIS
    Builds FitbitPS (the importable module in out/FitbitPS/), runs its tests, or runs the demo.

.DESCRIPTION
    ./build.ps1            dotnet build of the solution in Release; lays out out/FitbitPS/ (manifest,
                           assemblies, format file) ready for Import-Module.
    ./build.ps1 -Test      build, then the xunit suite (unless -SkipXunit) and the Pester suite
                           (Invoke-Pester tests/pester -CI; installs Pester 5 for the current user if missing).
    ./build.ps1 -Demo      build, start the standalone emulator of Google OAuth + Health API v4
                           (--auto-approve), Import-Module out/FitbitPS, Connect-Fitbit against it,
                           Get-FitbitSleep -Days 7 | Format-Table, Export-FitbitData into -DemoPath,
                           then stop the emulator. No Google account needed.

    Needs the .NET 10 SDK (and PowerShell 7 for -Demo and Pester; the module itself also loads in
    Windows PowerShell 5.1).

.EXAMPLE
    pwsh ./build.ps1 -Demo
.EXAMPLE
    pwsh ./build.ps1 -Test -SkipXunit
#>
[CmdletBinding()]
param(
    # Run the tests after building.
    [switch] $Test,
    # With -Test: only Pester (test.sh runs xunit itself, inside a D-Bus session with a keyring).
    [switch] $SkipXunit,
    # Run the demo against the standalone emulator.
    [switch] $Demo,
    # Where -Demo exports.
    [string] $DemoPath = './demo-export',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$repo = $PSScriptRoot
Push-Location $repo
try {
    function Invoke-Native([string] $File, [string[]] $Arguments) {
        & $File @Arguments
        if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
    }

    # ---------------------------------------------------------------- build
    Write-Host "Building FitbitPS ($Configuration)..."
    Invoke-Native dotnet @('build', 'FitbitPS.sln', '-c', $Configuration, '-nologo', '-v', 'q')
    $manifest = Join-Path $repo 'out/FitbitPS/FitbitPS.psd1'
    if (-not (Test-Path $manifest)) { throw "The build did not lay out $manifest." }
    Write-Host "Module: $manifest"

    # ---------------------------------------------------------------- tests
    if ($Test) {
        if (-not $SkipXunit) {
            Write-Host 'Running xunit...'
            Invoke-Native dotnet @('test', 'FitbitPS.sln', '-c', $Configuration, '--no-build', '-nologo')
        }
        $pester = Get-Module -ListAvailable Pester | Where-Object Version -GE ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
        if (-not $pester) {
            Write-Host 'Installing Pester 5 for the current user...'
            Install-Module Pester -MinimumVersion 5.5.0 -Scope CurrentUser -Force -SkipPublisherCheck
        }
        Import-Module Pester -MinimumVersion 5.0
        Write-Host 'Running Pester (tests/pester)...'
        # Each test file imports out/FitbitPS and starts its own emulator. -CI: exit code = failed tests.
        # A child pwsh keeps this session free of the module (its assemblies cannot be unloaded).
        $pwsh = (Get-Process -Id $PID).Path
        & $pwsh -NoProfile -Command "Import-Module Pester -MinimumVersion 5.0; Invoke-Pester -Path '$(Join-Path $repo 'tests/pester')' -CI"
        if ($LASTEXITCODE -ne 0) { throw "Pester: $LASTEXITCODE test(s) failed." }
    }

    # ---------------------------------------------------------------- demo
    if ($Demo) {
        $emulatorDll = Join-Path $repo "tests/HealthApiEmulator/bin/$Configuration/net10.0/HealthApiEmulator.dll"
        if (-not (Test-Path $emulatorDll)) { throw "The emulator is missing: $emulatorDll" }
        $demoHome = Join-Path ([System.IO.Path]::GetTempPath()) ('fitbitps-demo-' + [guid]::NewGuid())
        New-Item -ItemType Directory -Path $demoHome | Out-Null
        $secretsFile = Join-Path $demoHome 'client_secret.json'
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @($emulatorDll, '--port', '0', '--auto-approve', '--client-secrets-out', $secretsFile)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardInput = $true   # the emulator stops when this pipe closes
        $psi.UseShellExecute = $false
        $emulator = [System.Diagnostics.Process]::Start($psi)
        $saved = @{ FITBITPS_HOME = $env:FITBITPS_HOME; FITBITPS_BROWSER = $env:FITBITPS_BROWSER }
        try {
            $first = $emulator.StandardOutput.ReadLine()
            if ($first -notmatch '^Listening on (http://127\.0\.0\.1:\d+/)$') { throw "Unexpected emulator output: $first" }
            $baseUrl = $Matches[1]
            while (-not (Test-Path $secretsFile)) { Start-Sleep -Milliseconds 50 }
            Write-Host "Emulator of Google OAuth + Health API v4: $baseUrl"

            # A throw-away profile folder, and a "browser" (a pwsh script) that follows the emulator's
            # auto-approved consent back to Connect-Fitbit's loopback listener.
            $env:FITBITPS_HOME = $demoHome
            $browserScript = Join-Path $demoHome 'follow-redirect.ps1'
            Set-Content -Path $browserScript -Value @'
param([string] $Url)
Invoke-WebRequest -Uri $Url -UseBasicParsing -MaximumRedirection 5 | Out-Null
'@
            $pwsh = (Get-Process -Id $PID).Path
            $env:FITBITPS_BROWSER = "`"$pwsh`" -NoProfile -File `"$browserScript`""

            # The module runs in a child pwsh so this session never loads (and locks) its assemblies.
            $demoScript = @'
param($Manifest, $SecretsFile, $DemoPath)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
Connect-Fitbit -ClientSecretFile $SecretsFile -TokenCache Process | Format-List Profile, TokenCacheKind, GrantedScopes
Write-Host 'Get-FitbitSleep -Days 7 | Format-Table'
Get-FitbitSleep -Days 7 | Format-Table Date, Start, End, MinutesAsleep, MinutesAwake, DeepMinutes, LightMinutes, RemMinutes, IsMainSleep
$from = if (Test-Path (Join-Path $DemoPath 'fitbitps-export.json')) { $null } else { (Get-Date).Date.AddDays(-89) }
Write-Host "Export-FitbitData -Path $DemoPath"
$params = @{ Path = $DemoPath }
if ($from) { $params.From = $from }
Export-FitbitData @params | Format-Table Kind, RowsAdded, RowsUpdated, RowsTotal, Requests, From, To, File
Disconnect-Fitbit
'@
            $scriptFile = Join-Path $demoHome 'demo.ps1'
            Set-Content -Path $scriptFile -Value $demoScript
            $target = [System.IO.Path]::GetFullPath((Join-Path (Get-Location).ProviderPath $DemoPath))
            if ([System.IO.Path]::IsPathRooted($DemoPath)) { $target = [System.IO.Path]::GetFullPath($DemoPath) }
            # Not -NonInteractive: Connect-Fitbit opens the (command-line) browser only in an interactive session.
            & $pwsh -NoProfile -File $scriptFile -Manifest $manifest -SecretsFile $secretsFile -DemoPath $target
            if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
            Write-Host "Exported into $target. Run -Demo again: the second export reads only the last few days."
        }
        finally {
            $emulator.StandardInput.Close()
            if (-not $emulator.WaitForExit(10000)) { $emulator.Kill() }
            foreach ($k in $saved.Keys) { Set-Item "Env:$k" -Value $saved[$k] -ErrorAction SilentlyContinue; if ($null -eq $saved[$k]) { Remove-Item "Env:$k" -ErrorAction SilentlyContinue } }
            Remove-Item $demoHome -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
finally {
    Pop-Location
}
