# Shared set-up for the Pester files: the built module, the standalone emulator, a "browser" that
# follows the sign-in redirect and the emulator's control API. Imported by each *.Tests.ps1 in its
# BeforeAll. The general helpers (current pwsh, emulator process) live in tools/FitbitPS.Dev.psm1,
# which build.ps1 uses too.

Import-Module (Join-Path $PSScriptRoot '..' '..' 'tools' 'FitbitPS.Dev.psm1') -Force -Global

function Get-BuiltManifest { Join-Path (Get-RepoRoot) 'out' 'FitbitPS' 'FitbitPS.psd1' }

function Import-BuiltFitbitPS {
    # The module folder every build lays out; tests never import from src/.
    $manifest = Get-BuiltManifest
    if (-not (Test-Path $manifest)) { throw "Build first: $manifest is missing (dotnet build FitbitPS.sln)." }
    Import-Module $manifest -Force -Global
    $manifest
}

function Start-TestEmulator {
    param([Parameter(Mandatory)] [string] $ClientSecretsFile, [string[]] $ExtraArguments = @())
    Start-FitbitEmulator -ClientSecretsFile $ClientSecretsFile -ExtraArguments $ExtraArguments
}

function Stop-TestEmulator { param($Emulator) Stop-FitbitEmulator $Emulator }

function Set-TestBrowser {
    param([Parameter(Mandatory)] [string] $Folder)
    $null = Set-FollowRedirectBrowser -Folder $Folder
}

function Initialize-SignedInSession {
    <#
    .SYNOPSIS
        The usual BeforeAll of a file that reads: the built module, a fresh emulator, a private cache folder,
        the redirect-following browser and one sign-in (tokens in process memory). Returns the emulator.
    #>
    param([Parameter(Mandatory)] [string] $Folder, [string[]] $EmulatorArguments = @(), [string[]] $Scope)
    Import-BuiltFitbitPS | Out-Null
    $emu = Start-TestEmulator -ClientSecretsFile (Join-Path $Folder 'client_secret.json') -ExtraArguments $EmulatorArguments
    $cache = Join-Path $Folder 'cache'
    New-Item -ItemType Directory -Path $cache -Force | Out-Null
    $env:FITBITPS_HOME = $cache
    Set-TestBrowser -Folder $Folder
    $connect = @{ ClientSecretFile = $emu.ClientSecretsFile; TokenCache = 'Process'; TimeoutSec = 60 }
    if ($Scope) { $connect.Scope = $Scope }
    Connect-Fitbit @connect | Out-Null
    $emu
}

function Complete-SignedInSession {
    param($Emulator)
    Disconnect-Fitbit -ErrorAction SilentlyContinue | Out-Null
    Stop-TestEmulator $Emulator
    Remove-Item Env:FITBITPS_BROWSER, Env:FITBITPS_HOME -ErrorAction SilentlyContinue
    Remove-Module FitbitPS -ErrorAction SilentlyContinue
}

function Add-EmulatorFault {
    # Queues a fault for the next $Count matching requests (see tests/HealthApiEmulator/Faults/FaultPlan.cs).
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Kind, [int] $Count = 1, [string] $PathContains,
        [int] $RetryAfterSeconds = -1, [int] $LatencyMs = -1, [int] $Status = -1, [string] $Body)
    $fault = @{ kind = $Kind; count = $Count }
    if ($PathContains) { $fault.pathContains = $PathContains }
    if ($Status -ge 0) { $fault.status = $Status }
    if ($PSBoundParameters.ContainsKey('Body')) { $fault.body = $Body }
    if ($RetryAfterSeconds -ge 0) { $fault.retryAfterSeconds = $RetryAfterSeconds }
    if ($LatencyMs -ge 0) { $fault.latencyMs = $LatencyMs }
    Invoke-RestMethod -Method Post -Uri ($Emulator.BaseUrl + '_emulator/faults') -Body ($fault | ConvertTo-Json) -ContentType 'application/json' | Out-Null
}

function Clear-EmulatorFaults { param([Parameter(Mandatory)] $Emulator) Invoke-RestMethod -Method Delete -Uri ($Emulator.BaseUrl + '_emulator/faults') | Out-Null }

function Get-EmulatorRequestCount {
    param([Parameter(Mandatory)] $Emulator, [string] $PathContains)
    $uri = $Emulator.BaseUrl + '_emulator/requests' + $(if ($PathContains) { '?pathContains=' + [uri]::EscapeDataString($PathContains) })
    (Invoke-RestMethod -Uri $uri).count
}

function Clear-EmulatorRequests { param([Parameter(Mandatory)] $Emulator) Invoke-RestMethod -Method Delete -Uri ($Emulator.BaseUrl + '_emulator/requests') | Out-Null }

function Invoke-EmulatorTokenExpiry { param([Parameter(Mandatory)] $Emulator) Invoke-RestMethod -Method Post -Uri ($Emulator.BaseUrl + '_emulator/tokens/expire') | Out-Null }

function Save-EmulatorTakeout {
    # The emulator person's Google Takeout as a zip file (POST /_emulator/takeout): the same facts the API serves.
    # Layout GoogleHealth (2026) or Fitbit (legacy); default days: the 30 complete days before the emulator's today.
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Path, [ValidateSet('GoogleHealth', 'Fitbit')] [string] $Layout = 'GoogleHealth',
        [datetime] $From, [datetime] $To)
    $body = @{ layout = $Layout }
    if ($PSBoundParameters.ContainsKey('From')) { $body.from = $From.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture) }
    if ($PSBoundParameters.ContainsKey('To')) { $body.to = $To.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture) }
    Invoke-WebRequest -Method Post -Uri ($Emulator.BaseUrl + '_emulator/takeout') -Body ($body | ConvertTo-Json) -ContentType 'application/json' -OutFile $Path | Out-Null
    Get-Item -LiteralPath $Path
}

Export-ModuleMember -Function Get-BuiltManifest, Import-BuiltFitbitPS, Start-TestEmulator, Stop-TestEmulator, Set-TestBrowser,
    Initialize-SignedInSession, Complete-SignedInSession, Add-EmulatorFault, Clear-EmulatorFaults, Get-EmulatorRequestCount,
    Clear-EmulatorRequests, Invoke-EmulatorTokenExpiry, Save-EmulatorTakeout
