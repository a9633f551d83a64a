# Helpers shared by build.ps1 (demo, tests) and the Pester suite: the pwsh that runs this code, the
# standalone emulator, a "browser" that follows the sign-in redirect, and Pester from the NuGet cache.
# Nothing here is part of the FitbitPS module.

Set-StrictMode -Version 3.0

function Get-RepoRoot { (Resolve-Path (Join-Path $PSScriptRoot '..')).Path }

function Get-CurrentPwsh {
    <#
    .SYNOPSIS
        The command line that starts another copy of the running pwsh, as an array: the executable,
        then the arguments that must come before pwsh's own.
    .DESCRIPTION
        A native install runs as pwsh(.exe), but the .NET tool (dotnet tool install PowerShell) runs as
        "dotnet pwsh.dll", so the process path alone is the dotnet host, not pwsh.
    #>
    $exe = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        $dll = Join-Path $PSHOME 'pwsh.dll'
        if (-not (Test-Path -LiteralPath $dll)) { throw "This pwsh runs under '$exe' but $dll is missing." }
        return , @($exe, $dll)
    }
    , @($exe)
}

function Get-CurrentPwshCommandLine {
    # The same as one string, each part quoted: for FITBITPS_BROWSER and other "command line" settings.
    ((Get-CurrentPwsh) | ForEach-Object { '"' + $_ + '"' }) -join ' '
}

function Invoke-CurrentPwsh {
    # Runs the current pwsh as a child process with the given arguments; output flows to the caller.
    param([Parameter(ValueFromRemainingArguments)] [string[]] $ArgumentList)
    $cmd = Get-CurrentPwsh
    $rest = @($cmd | Select-Object -Skip 1) + @($ArgumentList)
    & $cmd[0] @rest
}

function New-CurrentPwshStartInfo {
    # A ProcessStartInfo for the current pwsh with the given arguments (redirect its streams as needed).
    param([string[]] $ArgumentList)
    $cmd = Get-CurrentPwsh
    $psi = [System.Diagnostics.ProcessStartInfo]::new($cmd[0])
    foreach ($a in @($cmd | Select-Object -Skip 1) + @($ArgumentList)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi
}

function Get-EmulatorDll {
    param([string] $Configuration)
    $bin = Join-Path (Get-RepoRoot) 'tests/HealthApiEmulator/bin'
    $candidates = Get-ChildItem $bin -Recurse -Filter HealthApiEmulator.dll -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -like 'net*' -and (-not $Configuration -or $_.Directory.Parent.Name -eq $Configuration) }
    $dll = $candidates | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw 'Build the solution first (dotnet build FitbitPS.sln): HealthApiEmulator.dll not found.' }
    $dll.FullName
}

function Start-FitbitEmulator {
    <#
    .SYNOPSIS
        Starts tests/HealthApiEmulator as a real process on 127.0.0.1 (consent auto-approved) and returns
        its base URL, the client-secrets file it wrote and the process. It lives as long as its stdin is open.
    #>
    param(
        [Parameter(Mandatory)] [string] $ClientSecretsFile,
        [string] $Configuration,
        [string[]] $ExtraArguments = @()
    )
    $dll = Get-EmulatorDll -Configuration $Configuration
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--port', '0', '--auto-approve', '--client-secrets-out', $ClientSecretsFile) + $ExtraArguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardInput = $true   # the emulator stops when this pipe closes
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $first = $process.StandardOutput.ReadLine()
    if ($first -notmatch '^Listening on (http://127\.0\.0\.1:\d+/)$') { throw "The emulator did not start: $first" }
    $baseUrl = $Matches[1]
    while (-not (Test-Path $ClientSecretsFile)) { Start-Sleep -Milliseconds 50 }
    [pscustomobject]@{ BaseUrl = $baseUrl; ClientSecretsFile = $ClientSecretsFile; Process = $process }
}

function Stop-FitbitEmulator {
    param($Emulator)
    if ($Emulator -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.StandardInput.Close()
        if (-not $Emulator.Process.WaitForExit(10000)) { $Emulator.Process.Kill() }
    }
}

function Set-FollowRedirectBrowser {
    <#
    .SYNOPSIS
        Sets FITBITPS_BROWSER to a pwsh script that requests the sign-in address and follows the redirects
        to Connect-Fitbit's loopback listener (the emulator auto-approves the consent). Returns the value.
    #>
    param([Parameter(Mandatory)] [string] $Folder)
    $script = Join-Path $Folder 'follow-redirect.ps1'
    Set-Content -Path $script -Value @'
param([string] $Url)
Invoke-WebRequest -Uri $Url -UseBasicParsing -MaximumRedirection 5 | Out-Null
'@
    $env:FITBITPS_BROWSER = (Get-CurrentPwshCommandLine) + " -NoProfile -File `"$script`""
    $env:FITBITPS_BROWSER
}

function Get-NuGetPackageFolder {
    <#
    .SYNOPSIS
        The folder of a package in the NuGet global packages folder (restored by 'dotnet restore FitbitPS.sln'),
        or $null when it is not there.
    #>
    param([Parameter(Mandatory)] [string] $Id, [Parameter(Mandatory)] [string] $Version)
    $roots = @()
    if ($env:NUGET_PACKAGES) { $roots += $env:NUGET_PACKAGES }
    $listed = & dotnet nuget locals global-packages --list 2>$null
    if ($LASTEXITCODE -eq 0 -and "$listed" -match 'global-packages:\s*(.+)$') { $roots += $Matches[1].Trim() }
    $roots += Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'
    foreach ($root in $roots | Select-Object -Unique) {
        $folder = Join-Path $root ($Id.ToLowerInvariant() + '/' + $Version)
        if (Test-Path -LiteralPath $folder) { return $folder }
    }
    $null
}

function Get-PesterManifest {
    <#
    .SYNOPSIS
        Pester 5.9.1 as restored from NuGet (the PackageDownload in tests/FitbitPS.Tests): its tools/ folder
        is the module. Falls back to a Pester 5 already on $env:PSModulePath.
    #>
    param([version] $Version = '5.9.1')
    $folder = Get-NuGetPackageFolder -Id Pester -Version $Version
    if ($folder -and (Test-Path -LiteralPath (Join-Path $folder 'tools/Pester.psd1'))) { return Join-Path $folder 'tools/Pester.psd1' }
    $onPath = Get-Module -ListAvailable Pester | Where-Object Version -EQ $Version | Select-Object -First 1
    if ($onPath) { return $onPath.Path }
    throw "Pester $Version was not found. Run 'dotnet restore FitbitPS.sln' (tests/FitbitPS.Tests downloads it from NuGet)."
}

Export-ModuleMember -Function Get-RepoRoot, Get-CurrentPwsh, Get-CurrentPwshCommandLine, Invoke-CurrentPwsh, New-CurrentPwshStartInfo,
    Get-EmulatorDll, Start-FitbitEmulator, Stop-FitbitEmulator, Set-FollowRedirectBrowser, Get-PesterManifest, Get-NuGetPackageFolder
