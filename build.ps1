<#
.SYNOPSIS
    Builds FitbitPS (the importable module in out/FitbitPS/), runs its tests, or runs the main job as a demo.

.DESCRIPTION
    ./build.ps1            dotnet build of the solution in Release; lays out out/FitbitPS/ (manifest,
                           assemblies, format file, help) ready for Import-Module.
    ./build.ps1 -Test      build, then the xunit suite (unless -SkipXunit) and the Pester suite on this pwsh
                           (Pester 5.9.1 from the NuGet cache, restored by 'dotnet restore FitbitPS.sln';
                           results in TestResults/). Fails when either fails.
    ./build.ps1 -Package   build, then FitbitPS.<version>.nupkg in -PackagePath (default out/packages): the package
                           Install-PSResource installs (from the PowerShell Gallery, or a folder registered with
                           Register-PSResourceRepository). -PackageVersion stamps another version on the package.
    ./build.ps1 -Demo      build, then the main job in PowerShell: start the bundled emulator of Google OAuth +
                           Health API v4 (consent auto-approved), Import-Module out/FitbitPS, Connect-Fitbit,
                           Get-FitbitSleep -Days 7 | Format-Table, Export-FitbitData into -DemoPath. No Google
                           account needed. With -ClientSecretFile the same runs against your own Google account.

    Needs the .NET 10 SDK and PowerShell 7 (the pinned one: 'dotnet tool restore', then 'dotnet pwsh').
    The module itself also loads in Windows PowerShell 5.1.

.EXAMPLE
    dotnet pwsh ./build.ps1 -Demo
.EXAMPLE
    dotnet pwsh ./build.ps1 -Test -SkipXunit
.EXAMPLE
    dotnet pwsh ./build.ps1 -Demo -ClientSecretFile ~/Downloads/client_secret_1234.json
.EXAMPLE
    dotnet pwsh ./build.ps1 -Package; Register-PSResourceRepository -Name Local -Uri ./out/packages -Trusted; Install-PSResource FitbitPS -Repository Local
#>
[CmdletBinding()]
param(
    # Run the tests after building.
    [switch] $Test,
    # With -Test: only Pester (test.sh runs xunit itself).
    [switch] $SkipXunit,
    # With -Test: only these Pester files or folders (default: tests/pester).
    [string[]] $PesterPath,
    # Run the main job (against the bundled emulator unless -ClientSecretFile is given).
    [switch] $Demo,
    # Where -Demo exports.
    [string] $DemoPath = './demo-export',
    # -Demo against your own Google account: the OAuth client JSON from Google Cloud console.
    [string] $ClientSecretFile,
    # Write the module package (FitbitPS.<version>.nupkg).
    [switch] $Package,
    # Where -Package writes the .nupkg.
    [string] $PackagePath = './out/packages',
    # -Package: the version the package carries (default: the manifest's, from Directory.Build.props).
    [version] $PackageVersion,
    # Skip the build (the solution was just built).
    [switch] $NoBuild,
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$repo = $PSScriptRoot
Import-Module (Join-Path $repo 'tools/FitbitPS.Dev.psm1') -Force
Push-Location $repo
try {
    function Invoke-Native([string] $File, [string[]] $Arguments) {
        & $File @Arguments
        if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
    }

    # ---------------------------------------------------------------- build
    $manifest = Join-Path $repo 'out/FitbitPS/FitbitPS.psd1'
    if (-not $NoBuild) {
        Write-Host "Building FitbitPS ($Configuration)..."
        Invoke-Native dotnet @('build', 'FitbitPS.sln', '-c', $Configuration, '-nologo', '-v', 'q')
    }
    if (-not (Test-Path $manifest)) { throw "The build did not lay out $manifest." }
    Write-Host "Module: $manifest"

    # ---------------------------------------------------------------- package
    if ($Package) {
        # The laid-out module folder, as it is (a copy, so a -PackageVersion never touches out/FitbitPS), packed by
        # PSResourceGet's own Compress-PSResource: the .nupkg Install-PSResource and Update-PSResource expect.
        $stage = Join-Path ([System.IO.Path]::GetTempPath()) ('fitbitps-package-' + [guid]::NewGuid())
        try {
            $moduleStage = Join-Path $stage 'FitbitPS'
            Copy-Item -Path (Split-Path $manifest) -Destination $moduleStage -Recurse
            $staged = Join-Path $moduleStage 'FitbitPS.psd1'
            if ($PackageVersion) {
                $text = Get-Content -Raw $staged
                Set-Content -Path $staged -Value ($text -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$PackageVersion'") -NoNewline
            }
            $info = Test-ModuleManifest -Path $staged -ErrorAction Stop
            $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PackagePath)
            New-Item -ItemType Directory -Path $target -Force | Out-Null
            Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
            Compress-PSResource -Path $moduleStage -DestinationPath $target
            $nupkg = Join-Path $target "FitbitPS.$($info.Version).nupkg"
            if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg." }
            Write-Host "Package: $nupkg"
        }
        finally { Remove-Item $stage -Recurse -Force -ErrorAction SilentlyContinue }
    }

    # ---------------------------------------------------------------- tests
    if ($Test) {
        $failures = @()
        if (-not $SkipXunit) {
            Write-Host 'Running xunit...'
            & dotnet test FitbitPS.sln -c $Configuration --no-build -nologo
            if ($LASTEXITCODE -ne 0) { $failures += "xunit (exit code $LASTEXITCODE)" }
        }
        $pester = Get-PesterManifest
        $paths = if ($PesterPath) { $PesterPath -split ',' | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $repo 'tests/pester') }
        $results = Join-Path $repo 'TestResults/pester-results.xml'
        Write-Host "Running Pester ($pester) on $((Get-CurrentPwsh) -join ' ')..."
        # A child pwsh keeps this session free of the module (its assemblies cannot be unloaded). Its exit
        # code is the number of failed tests (and failed blocks); the NUnit results go to TestResults/.
        $runner = @'
param($PesterManifest, $ResultsFile, [string] $Paths)
# Plain text from every child pwsh a test starts: escape codes in a failure message break the NUnit XML.
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterManifest -Force
$c = New-PesterConfiguration
$c.Run.Path = @($Paths -split ',')
$c.Run.Exit = $true
$c.Output.Verbosity = 'Detailed'
$c.TestResult.Enabled = $true
$c.TestResult.OutputPath = $ResultsFile
Invoke-Pester -Configuration $c
'@
        $runnerFile = Join-Path ([System.IO.Path]::GetTempPath()) ('fitbitps-pester-' + [guid]::NewGuid() + '.ps1')
        Set-Content -Path $runnerFile -Value $runner
        try {
            Invoke-CurrentPwsh -NoProfile -File $runnerFile -PesterManifest $pester -ResultsFile $results -Paths ($paths -join ',')
            $code = $LASTEXITCODE
        }
        finally { Remove-Item $runnerFile -ErrorAction SilentlyContinue }
        if ($code -ne 0) { $failures += "Pester ($code failed)" }
        if ($failures) { throw "Tests failed: $($failures -join '; ')." }
        Write-Host 'All tests passed.'
    }

    # ---------------------------------------------------------------- demo
    if ($Demo) {
        $demoHome = Join-Path ([System.IO.Path]::GetTempPath()) ('fitbitps-demo-' + [guid]::NewGuid())
        New-Item -ItemType Directory -Path $demoHome | Out-Null
        $emulator = $null
        $saved = @{ FITBITPS_HOME = $env:FITBITPS_HOME; FITBITPS_BROWSER = $env:FITBITPS_BROWSER }
        try {
            $connect = @{}
            if ($ClientSecretFile) {
                # Your own account: the real browser, tokens in the OS-protected cache under profile 'demo'.
                $connect = @{ ClientSecretFile = (Resolve-Path $ClientSecretFile).Path; Profile = 'demo' }
            }
            else {
                $emulator = Start-FitbitEmulator -ClientSecretsFile (Join-Path $demoHome 'client_secret.json') -Configuration $Configuration
                Write-Host "Emulator of Google OAuth + Health API v4: $($emulator.BaseUrl)"
                # A throw-away profile folder, tokens in process memory, and a "browser" that follows the
                # emulator's auto-approved consent back to Connect-Fitbit's loopback listener.
                $env:FITBITPS_HOME = $demoHome
                $null = Set-FollowRedirectBrowser -Folder $demoHome
                $connect = @{ ClientSecretFile = $emulator.ClientSecretsFile; TokenCache = 'Process' }
            }

            # The module runs in a child pwsh so this session never loads (and locks) its assemblies.
            $demoScript = @'
param($Manifest, $ConnectJson, $DemoPath)
$ErrorActionPreference = 'Stop'
$connect = @{}
($ConnectJson | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $connect[$_.Name] = $_.Value }
Import-Module $Manifest
Write-Host "`nConnect-Fitbit" -ForegroundColor Cyan
Connect-Fitbit @connect | Format-List Profile, HealthUserId, GrantedScopes, TokenCacheKind
$who = @{}
if ($connect.Profile) { $who.Profile = $connect.Profile }
Write-Host 'Get-FitbitSleep -Days 7 | Format-Table' -ForegroundColor Cyan
Get-FitbitSleep -Days 7 @who | Format-Table
$export = @{ Path = $DemoPath } + $who
# The first run backfills a year; later runs read only what is new.
if (-not (Test-Path (Join-Path $DemoPath 'fitbitps.db'))) { $export.From = (Get-Date).Date.AddDays(-365) }
Write-Host "Export-FitbitData -Path $DemoPath" -ForegroundColor Cyan
Export-FitbitData @export | Format-Table
Write-Host "Export-FitbitData -Path $DemoPath -DataType HeartRateIntraday, ActivityIntraday -From (yesterday)" -ForegroundColor Cyan
Export-FitbitData -Path $DemoPath -DataType HeartRateIntraday, ActivityIntraday -From (Get-Date).Date.AddDays(-1) @who | Format-Table
Write-Host "Export-FitbitReport -Path $DemoPath" -ForegroundColor Cyan
$report = Export-FitbitReport -Path $DemoPath @who
$report | Format-List
Write-Host "Report: $($report.Path)" -ForegroundColor Green
'@
            $scriptFile = Join-Path $demoHome 'demo.ps1'
            Set-Content -Path $scriptFile -Value $demoScript
            $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($DemoPath)
            # Not -NonInteractive: Connect-Fitbit opens the browser only in an interactive session.
            Invoke-CurrentPwsh -NoProfile -File $scriptFile -Manifest $manifest -ConnectJson ($connect | ConvertTo-Json -Compress) -DemoPath $target
            if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
            Write-Host "Exported into $target. Open the report above in a browser; run the demo again: the second export reads only the last few days."
        }
        finally {
            Stop-FitbitEmulator $emulator
            foreach ($k in $saved.Keys) {
                if ($null -eq $saved[$k]) { Remove-Item "Env:$k" -ErrorAction SilentlyContinue } else { Set-Item "Env:$k" -Value $saved[$k] }
            }
            Remove-Item $demoHome -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
finally {
    Pop-Location
}
