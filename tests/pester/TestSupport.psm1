# Shared set-up for the Pester files: the built module, the standalone emulator and a "browser" that
# follows the sign-in redirect. Imported by each *.Tests.ps1 in its BeforeAll. The general helpers
# (current pwsh, emulator process) live in tools/FitbitPS.Dev.psm1, which build.ps1 uses too.

Import-Module (Join-Path $PSScriptRoot '..' '..' 'tools' 'FitbitPS.Dev.psm1') -Force -Global

function Import-BuiltFitbitPS {
    # The module folder every build lays out; tests never import from src/.
    $manifest = Join-Path (Get-RepoRoot) 'out' 'FitbitPS' 'FitbitPS.psd1'
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

Export-ModuleMember -Function Import-BuiltFitbitPS, Start-TestEmulator, Stop-TestEmulator, Set-TestBrowser
