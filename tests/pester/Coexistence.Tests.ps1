#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# FitbitPS in one session with what Az.Accounts and Microsoft.Graph.Authentication bring: MSAL 4.61.3, MSAL
# Extensions 4.61.3 (theirs; FitbitPS uses 4.92) and Newtonsoft.Json 13.0.1, loaded before FitbitPS and after it.
# Each order runs in a fresh pwsh (a .NET assembly cannot be unloaded). The packages come from NuGet: the
# PackageDownload items of tests/FitbitPS.Tests. Also: the store's SQLite (managed and native) loads in FitbitPS's
# context only.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'client_secret.json')
    Set-TestBrowser -Folder $TestDrive

    function Get-PackageAssembly([string] $Id, [string] $Version, [string] $File) {
        $folder = Get-NuGetPackageFolder -Id $Id -Version $Version
        if (-not $folder) { throw "$Id $Version is not in the NuGet cache: run 'dotnet restore FitbitPS.sln'." }
        $lib = @('net6.0', 'netstandard2.0') | ForEach-Object { Join-Path $folder "lib/$_/$File" } | Where-Object { Test-Path $_ } | Select-Object -First 1
        if (-not $lib) { throw "No net6.0 or netstandard2.0 build of $File in $folder." }
        $lib
    }
    # Dependencies first: MSAL 4.61.3 needs its IdentityModel.Abstractions.
    $script:foreign = @(
        Get-PackageAssembly 'Microsoft.IdentityModel.Abstractions' '6.35.0' 'Microsoft.IdentityModel.Abstractions.dll'
        Get-PackageAssembly 'Microsoft.Identity.Client' '4.61.3' 'Microsoft.Identity.Client.dll'
        Get-PackageAssembly 'Microsoft.Identity.Client.Extensions.Msal' '4.61.3' 'Microsoft.Identity.Client.Extensions.Msal.dll'
        Get-PackageAssembly 'Newtonsoft.Json' '13.0.1' 'Newtonsoft.Json.dll'
    )

    # One fresh pwsh: the other module's assemblies and FitbitPS in the given order; everything measured comes
    # back as JSON. Protected (the OS keyring), Passphrase and Process caches each sign in, read and export.
    $script:session = @'
param([string] $Order, [string] $Manifest, [string] $ClientSecretFile, [string] $Foreign, [string] $Work)
$ErrorActionPreference = 'Stop'
$result = [ordered]@{ order = $Order; errors = @() }

function Use-TheOtherModule {
    foreach ($path in $Foreign -split ';') { Add-Type -Path $path }
    # What Az/Graph do with them: a public client app and an MSAL Extensions cache helper, JSON.
    $app = [Microsoft.Identity.Client.PublicClientApplicationBuilder]::Create('00000000-0000-0000-0000-000000000001').Build()
    $props = [Microsoft.Identity.Client.Extensions.Msal.StorageCreationPropertiesBuilder]::new('other.bin', $Work).WithLinuxUnprotectedFile().Build()
    $helper = [Microsoft.Identity.Client.Extensions.Msal.MsalCacheHelper]::CreateAsync($props).GetAwaiter().GetResult()
    $helper.RegisterCache($app.UserTokenCache)
    [ordered]@{
        msal       = $app.GetType().Assembly.GetName().Version.ToString()
        extensions = $helper.GetType().Assembly.GetName().Version.ToString()
        newtonsoft = (Get-Item ([Newtonsoft.Json.JsonConvert].Assembly.Location)).VersionInfo.FileVersion
        newtonsoftLocation = [Newtonsoft.Json.JsonConvert].Assembly.Location
        json       = [Newtonsoft.Json.JsonConvert]::SerializeObject(@{ works = $true })
    }
}

function Use-FitbitPS {
    Import-Module $Manifest
    $caches = @('Passphrase', 'Process')
    if ($env:FITBITPS_NO_KEYRING -ne '1') { $caches = @('Protected') + $caches }
    $done = [ordered]@{}
    foreach ($cache in $caches) {
        $profile = 'co' + $cache.ToLowerInvariant()
        try {
            $context = Connect-Fitbit -Profile $profile -ClientSecretFile $ClientSecretFile -TokenCache $cache -TimeoutSec 60
            $sleep = @(Get-FitbitSleep -Profile $profile -Days 7)
            $export = @(Export-FitbitData -Profile $profile -Path (Join-Path $Work "export-$cache") -DataType Weight -From (Get-Date).AddDays(-29))
            $done[$cache] = [ordered]@{ user = $context.HealthUserId; sleeps = $sleep.Count; exported = ($export | Measure-Object RowsTotal -Sum).Sum }
        }
        catch { $script:result.errors += "$cache`: $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
    }
    # FitbitPS's own copies, in its load context.
    $alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'FitbitPS'
    $done.context = @($alc.Assemblies | ForEach-Object { '{0} {1}' -f $_.GetName().Name, (Get-Item $_.Location).VersionInfo.FileVersion })
    $done.contextFolders = @($alc.Assemblies | ForEach-Object { Split-Path $_.Location } | Sort-Object -Unique)
    $done
}

try {
    if ($Order -eq 'OthersFirst') { $result.other = Use-TheOtherModule; $result.fitbitps = Use-FitbitPS; $result.otherAfter = Use-TheOtherModule }
    else { $result.fitbitps = Use-FitbitPS; $result.other = Use-TheOtherModule; $result.fitbitpsAfter = (Get-FitbitSleep -Profile coprocess -Days 7 | Measure-Object).Count }
}
catch { $result.errors += "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
$result | ConvertTo-Json -Depth 6 -Compress
'@

    function Invoke-Session([string] $Order) {
        $work = Join-Path $TestDrive $Order
        New-Item -ItemType Directory -Path $work -Force | Out-Null
        $file = Join-Path $TestDrive "session-$Order.ps1"
        Set-Content -Path $file -Value $script:session
        $saved = @{ FITBITPS_HOME = $env:FITBITPS_HOME; FITBITPS_CACHE_PASSPHRASE = $env:FITBITPS_CACHE_PASSPHRASE }
        try {
            $env:FITBITPS_HOME = Join-Path $work 'cache'
            $env:FITBITPS_CACHE_PASSPHRASE = 'coexistence'
            $out = Invoke-CurrentPwsh -NoProfile -File $file -Order $Order -Manifest (Get-BuiltManifest) `
                -ClientSecretFile $script:emu.ClientSecretsFile -Foreign ($script:foreign -join ';') -Work $work
        }
        finally { foreach ($k in $saved.Keys) { Set-Item "Env:$k" -Value $saved[$k] -ErrorAction SilentlyContinue; if (-not $saved[$k]) { Remove-Item "Env:$k" -ErrorAction SilentlyContinue } } }
        $json = @($out) | Where-Object { $_ -is [string] -and $_.StartsWith('{"order"') } | Select-Object -Last 1
        if (-not $json) { throw "The session printed no result: $($out -join "`n")" }
        $json | ConvertFrom-Json
    }
}

AfterAll {
    Stop-TestEmulator $script:emu
    Remove-Item Env:FITBITPS_BROWSER -ErrorAction SilentlyContinue
}

Describe 'FitbitPS beside Az / Microsoft.Graph assemblies' {
    It 'works when MSAL 4.61.3, its Extensions and Newtonsoft.Json were loaded first, and theirs keep working' {
        $r = Invoke-Session 'OthersFirst'
        $r.errors | Should -BeNullOrEmpty
        $r.other.msal | Should -Be '4.61.3.0'
        $r.other.extensions | Should -Be '4.61.3.0'
        foreach ($cache in @('Protected', 'Passphrase', 'Process') | Where-Object { $_ -ne 'Protected' -or $env:FITBITPS_NO_KEYRING -ne '1' }) {
            $r.fitbitps.$cache.user | Should -Not -BeNullOrEmpty -Because "$cache signs in"
            $r.fitbitps.$cache.sleeps | Should -BeGreaterThan 0 -Because "$cache reads"
            $r.fitbitps.$cache.exported | Should -BeGreaterThan 0 -Because "$cache exports"
        }
        # FitbitPS used its own MSAL Extensions 4.92 (the one that failed to load beside 4.61.3 before) and Newtonsoft
        # 13.0.4, in its own context, every one from its Dependencies folder, none of the session's.
        ($r.fitbitps.context | Where-Object { $_ -like 'Microsoft.Identity.Client.Extensions.Msal *' }) | Should -Match '^Microsoft.Identity.Client.Extensions.Msal 4\.92\.'
        ($r.fitbitps.context | Where-Object { $_ -like 'Newtonsoft.Json *' }) | Should -Match '^Newtonsoft.Json 13\.0\.4\.'
        $r.fitbitps.context | Where-Object { $_ -match ' 4\.61\.3\.| 13\.0\.1\.' } | Should -BeNullOrEmpty
        $r.fitbitps.contextFolders | Should -Be @(Join-Path (Split-Path (Get-BuiltManifest)) 'Dependencies')
        # The other module's assemblies still answer the same afterwards.
        $r.otherAfter.msal | Should -Be '4.61.3.0'
        $r.otherAfter.json | Should -Be '{"works":true}'
    }

    It 'leaves the session''s MSAL, Extensions and Newtonsoft.Json free to load after FitbitPS, and FitbitPS keeps working' {
        $r = Invoke-Session 'FitbitPSFirst'
        $r.errors | Should -BeNullOrEmpty
        $r.fitbitps.Process.sleeps | Should -BeGreaterThan 0
        # What loads afterwards is the other module's own version, not FitbitPS's.
        $r.other.msal | Should -Be '4.61.3.0'
        $r.other.extensions | Should -Be '4.61.3.0'
        $r.other.json | Should -Be '{"works":true}'
        # PowerShell 7.6 itself carries Newtonsoft.Json (13.0.4) in the default context; a module's 13.0.1 gets that
        # copy whether FitbitPS is loaded or not. What matters: the session never sees FitbitPS's copy.
        $r.other.newtonsoftLocation | Should -Not -Match ([regex]::Escape((Split-Path (Get-BuiltManifest))))
        $r.fitbitpsAfter | Should -BeGreaterThan 0
    }
}

Describe 'FitbitPS''s native SQLite' {
    It 'opens an in-memory database through the module''s load context, with e_sqlite3 from Dependencies/runtimes, leaving the default context without SQLite' {
        # A fresh pwsh: the store's assemblies through the context FitbitPS's loader made (no cmdlet uses the store
        # yet, so by reflection), SQLitePCL's Batteries_V2.Init finding the native library through
        # DependencyLoadContext.LoadUnmanagedDll.
        $file = Join-Path $TestDrive 'sqlite-session.ps1'
        Set-Content -Path $file -Value @'
param([string] $Manifest)
$ErrorActionPreference = 'Stop'
$result = [ordered]@{ errors = @() }
try {
    Import-Module $Manifest
    $alc = @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'FitbitPS')
    $result.contexts = $alc.Count
    $sqlite = $alc[0].LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite'))
    $connection = [Activator]::CreateInstance($sqlite.GetType('Microsoft.Data.Sqlite.SqliteConnection', $true), @('Data Source=:memory:'))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = 'select sqlite_version()'
        $result.version = [string]$command.ExecuteScalar()
    }
    finally { $connection.Dispose() }
    $result.managed = @($alc[0].Assemblies | Where-Object { $_.GetName().Name -match '^(Microsoft\.Data\.Sqlite|SQLitePCLRaw\.)' } | ForEach-Object Location)
    $result.native = @([System.Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -Match 'e_sqlite3' | ForEach-Object FileName | Sort-Object -Unique)
    $result.default = @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -match 'Sqlite|SQLitePCL' })
}
catch { $result.errors += "$($_.FullyQualifiedErrorId): $($_.Exception.GetBaseException().Message)" }
[ordered]@{ sqlite = $result } | ConvertTo-Json -Depth 4 -Compress
'@
        $out = Invoke-CurrentPwsh -NoProfile -File $file -Manifest (Get-BuiltManifest) 2>&1
        $json = @($out) | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{"sqlite"') } | Select-Object -Last 1
        if (-not $json) { throw "The session printed no result: $($out -join "`n")" }
        $r = ($json | ConvertFrom-Json).sqlite

        $r.errors | Should -BeNullOrEmpty
        $r.contexts | Should -Be 1
        $r.version | Should -Match '^3\.'
        $dependencies = Join-Path (Split-Path (Get-BuiltManifest)) 'Dependencies'
        # Microsoft.Data.Sqlite, SQLitePCLRaw.core, .batteries_v2, .provider.e_sqlite3: all FitbitPS's, in its context.
        $r.managed.Count | Should -BeGreaterOrEqual 4
        $r.managed | ForEach-Object { Split-Path $_ } | Sort-Object -Unique | Should -Be $dependencies
        # The one native library: the module's own for this machine (not one the OS found elsewhere).
        $r.native.Count | Should -Be 1
        $r.native[0] | Should -BeLike (Join-Path $dependencies 'runtimes' '*' 'native' '*e_sqlite3*')
        # Isolation: PowerShell's own context never saw the store's assemblies.
        $r.default | Should -Not -Contain 'Microsoft.Data.Sqlite'
        $r.default | Should -Not -Contain 'SQLitePCLRaw.core'
        $r.default | Should -BeNullOrEmpty
    }
}
