# Shared set-up for the Pester files: the built module, the standalone emulator and a "browser" that
# follows the sign-in redirect. Imported by each *.Tests.ps1 in its BeforeAll.

function Get-RepoRoot { (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path }

function Import-BuiltFitbitPS {
    # The module folder every build lays out; tests never import from src/.
    $manifest = Join-Path (Get-RepoRoot) 'out' 'FitbitPS' 'FitbitPS.psd1'
    if (-not (Test-Path $manifest)) { throw "Build first: $manifest is missing (dotnet build FitbitPS.sln)." }
    Import-Module $manifest -Force -Global
    $manifest
}

function Start-TestEmulator {
    # Starts tests/HealthApiEmulator as a real process (--auto-approve) and returns its base URL, the
    # client-secrets file it wrote and the process. It lives as long as its stdin is open.
    param([Parameter(Mandatory)] [string] $ClientSecretsFile)
    $dll = Get-ChildItem (Join-Path (Get-RepoRoot) 'tests' 'HealthApiEmulator' 'bin') -Recurse -Filter HealthApiEmulator.dll |
        Where-Object { $_.Directory.Name -like 'net*' } | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw 'Build the solution first (dotnet build FitbitPS.sln): HealthApiEmulator.dll not found.' }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll.FullName, '--port', '0', '--auto-approve', '--client-secrets-out', $ClientSecretsFile)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $first = $process.StandardOutput.ReadLine()
    if ($first -notmatch '^Listening on (http://127\.0\.0\.1:\d+/)$') { throw "Emulator did not start: $first" }
    $baseUrl = $Matches[1]
    while (-not (Test-Path $ClientSecretsFile)) { Start-Sleep -Milliseconds 50 }
    [pscustomobject]@{ BaseUrl = $baseUrl; ClientSecretsFile = $ClientSecretsFile; Process = $process }
}

function Stop-TestEmulator {
    param($Emulator)
    if ($Emulator -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.StandardInput.Close()
        if (-not $Emulator.Process.WaitForExit(10000)) { $Emulator.Process.Kill() }
    }
}

function Set-TestBrowser {
    # FITBITPS_BROWSER = a pwsh script that requests the sign-in URL and follows the redirects to
    # Connect-Fitbit's loopback listener (the emulator auto-approves the consent).
    param([Parameter(Mandatory)] [string] $Folder)
    $script = Join-Path $Folder 'follow-redirect.ps1'
    Set-Content -Path $script -Value @'
param([string] $Url)
Invoke-WebRequest -Uri $Url -UseBasicParsing -MaximumRedirection 5 | Out-Null
'@
    $pwsh = (Get-Process -Id $PID).Path
    $env:FITBITPS_BROWSER = "`"$pwsh`" -NoProfile -File `"$script`""
}

Export-ModuleMember -Function Get-RepoRoot, Import-BuiltFitbitPS, Start-TestEmulator, Stop-TestEmulator, Set-TestBrowser
