#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Installed like any PowerShell module: build.ps1 -Package writes the .nupkg, a local folder registered with
# PSResourceGet is the repository, Install-PSResource puts FitbitPS into an empty module path, Import-Module finds
# it by name; a newer package then arrives through Update-PSResource. Every step in a fresh pwsh whose user folders
# (module path, PSResourceGet's repository list) are private to the test.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'client_secret.json')
    Set-TestBrowser -Folder $TestDrive
    $script:repo = Join-Path $TestDrive 'repository'
    $script:userRoot = Join-Path $TestDrive 'user'

    function New-FitbitPSPackage([string] $Version) {
        $build = Join-Path (Get-RepoRoot) 'build.ps1'
        $out = Invoke-CurrentPwsh -NoProfile -File $build -Package -NoBuild -PackagePath $script:repo -PackageVersion $Version 2>&1
        if ($LASTEXITCODE -ne 0) { throw "build.ps1 -Package failed: $($out -join "`n")" }
        Join-Path $script:repo "FitbitPS.$Version.nupkg"
    }

    # A pwsh whose per-user data (user module path, PSResourceGet's repositories) lives under $script:userRoot.
    function Invoke-AsNewUser([string] $Script, [hashtable] $Arguments = @{}) {
        $file = Join-Path $TestDrive ('step-' + [guid]::NewGuid() + '.ps1')
        Set-Content -Path $file -Value $Script
        $saved = @{}
        # HOME too: PSResourceGet installs CurrentUser modules under ~/.local/share whatever XDG_DATA_HOME says.
        $env = @{
            HOME = Join-Path $script:userRoot 'home'
            XDG_DATA_HOME = Join-Path $script:userRoot 'home/.local/share'; XDG_CONFIG_HOME = Join-Path $script:userRoot 'home/.config'
            XDG_CACHE_HOME = Join-Path $script:userRoot 'home/.cache'; FITBITPS_HOME = Join-Path $script:userRoot 'fitbitps'
            PSModulePath = $null
        }
        foreach ($k in $env.Keys) {
            if ($env[$k]) { New-Item -ItemType Directory -Path $env[$k] -Force | Out-Null }
            $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $env[$k])
        }
        try { $out = Invoke-CurrentPwsh -NoProfile -File $file @Arguments 2>&1 }
        finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
        $json = @($out) | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{"result"') } | Select-Object -Last 1
        if (-not $json) { throw "The step printed no result: $($out -join "`n")" }
        ($json | ConvertFrom-Json).result
    }
}

AfterAll {
    Stop-TestEmulator $script:emu
    Remove-Item Env:FITBITPS_BROWSER -ErrorAction SilentlyContinue
}

Describe 'Install-PSResource FitbitPS' {
    It 'build.ps1 -Package writes a package with what the Gallery shows' {
        $nupkg = New-FitbitPSPackage '0.1.0'
        $nupkg | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $names = $zip.Entries.FullName
            $reader = [System.IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'FitbitPS.nuspec').Open())
            $nuspec = [xml]$reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $names | Should -Contain 'FitbitPS.psd1'
        $names | Should -Contain 'FitbitPS.dll'
        $names | Should -Contain 'Dependencies/FitbitPS.Engine.dll'
        $names | Should -Contain 'LICENSE'
        $names | Where-Object { $_ -notmatch '/' -and $_ -like '*.dll' } | Sort-Object | Should -Be @('FitbitPS.dll', 'FitbitPS.Loader.Core.dll', 'FitbitPS.Loader.dll')
        $meta = $nuspec.package.metadata
        $meta.id | Should -Be 'FitbitPS'
        $meta.version | Should -Be '0.1.0'
        $meta.description | Should -Match 'Google Health API'
        foreach ($tag in 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS', 'PSModule') { $meta.tags | Should -Match "\b$tag\b" }
        $meta.projectUrl | Should -Not -BeNullOrEmpty
        "$($meta.license.'#text')$($meta.licenseUrl)" | Should -Not -BeNullOrEmpty
        $meta.releaseNotes | Should -Match 'Export-FitbitData'
    }

    It 'installs from a local folder repository into an empty module path, imports by name, signs in, reads and exports' {
        $r = Invoke-AsNewUser -Arguments @{ Repository = $script:repo; ClientSecretFile = $script:emu.ClientSecretsFile; ExportPath = (Join-Path $TestDrive 'export') } -Script @'
param([string] $Repository, [string] $ClientSecretFile, [string] $ExportPath)
$ErrorActionPreference = 'Stop'
$before = @(Get-Module -ListAvailable FitbitPS).Count
Register-PSResourceRepository -Name FitbitPSLocal -Uri $Repository -Trusted
Install-PSResource FitbitPS -Repository FitbitPSLocal -Scope CurrentUser
$installed = Get-InstalledPSResource FitbitPS
Import-Module FitbitPS
$module = Get-Module FitbitPS
$context = Connect-Fitbit -ClientSecretFile $ClientSecretFile -TokenCache Process -TimeoutSec 60
$sleeps = @(Get-FitbitSleep -Days 7).Count
$export = @(Export-FitbitData -Path $ExportPath -DataType Weight -From (Get-Date).AddDays(-364))
@{ result = @{ before = $before; installed = "$($installed.Version)"; base = $module.ModuleBase; version = "$($module.Version)"
    user = $context.HealthUserId; sleeps = $sleeps; exported = ($export | Measure-Object RowsTotal -Sum).Sum; userModules = $HOME } } | ConvertTo-Json -Compress
'@
        $r.before | Should -Be 0
        $r.installed | Should -Be '0.1.0'
        $r.version | Should -Be '0.1.0'
        $r.base | Should -BeLike "$($r.userModules)*"
        $r.user | Should -Not -BeNullOrEmpty
        $r.sleeps | Should -BeGreaterThan 0
        $r.exported | Should -BeGreaterThan 0
    }

    It 'Update-PSResource brings a newer package, and the new version is what imports' {
        New-FitbitPSPackage '0.1.1' | Should -Exist
        $updated = Invoke-AsNewUser -Script @'
$ErrorActionPreference = 'Stop'
Update-PSResource FitbitPS -Repository FitbitPSLocal -Scope CurrentUser
@{ result = @{ versions = @(Get-InstalledPSResource FitbitPS | ForEach-Object { "$($_.Version)" } | Sort-Object) } } | ConvertTo-Json -Compress
'@
        $updated.versions | Should -Contain '0.1.1'
        $imported = Invoke-AsNewUser -Script @'
$ErrorActionPreference = 'Stop'
Import-Module FitbitPS
@{ result = @{ version = "$((Get-Module FitbitPS).Version)"; cmdlets = @(Get-Command -Module FitbitPS).Count } } | ConvertTo-Json -Compress
'@
        $imported.version | Should -Be '0.1.1'
        $imported.cmdlets | Should -Be @((Import-PowerShellDataFile (Get-BuiltManifest)).CmdletsToExport).Count
    }
}
