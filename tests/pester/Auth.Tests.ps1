#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Connect-Fitbit / Get-FitbitContext / Disconnect-Fitbit against the standalone emulator (--auto-approve).
# The browser is replaced through FITBITPS_BROWSER by a script that follows the sign-in redirect.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'client_secret.json')
    $script:baseUrl = $script:emu.BaseUrl
    $script:clientFile = $script:emu.ClientSecretsFile

    # One cache folder for this file and a passphrase cache (no keyring needed for Pester). Not under
    # $TestDrive: Pester removes what a Describe wrote to TestDrive when it ends, and the profile signed in
    # under 'Connect-Fitbit' must still be there for 'Get-FitbitContext' and 'Disconnect-Fitbit'.
    $script:cacheDir = Join-Path ([System.IO.Path]::GetTempPath()) ('fitbitps-pester-' + [guid]::NewGuid())
    $env:FITBITPS_HOME = $script:cacheDir
    $env:FITBITPS_CACHE_PASSPHRASE = 'pester passphrase'

    # The "browser": a script that requests the sign-in URL and follows the redirects to FitbitPS's listener.
    Set-TestBrowser -Folder $TestDrive

    $manifest = Import-BuiltFitbitPS
}

AfterAll {
    Remove-Module FitbitPS -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:emu
    Remove-Item Env:FITBITPS_BROWSER, Env:FITBITPS_HOME, Env:FITBITPS_CACHE_PASSPHRASE -ErrorAction SilentlyContinue
    if ($script:cacheDir) { Remove-Item -LiteralPath $script:cacheDir -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Connect-Fitbit' {
    It 'signs in through the browser and writes one FitbitContext without any token' {
        $context = Connect-Fitbit -Profile pester -ClientSecretFile $script:clientFile -TokenCache Passphrase -TimeoutSec 60
        @($context).Count | Should -Be 1
        $context.GetType().FullName | Should -Be 'FitbitPS.Engine.Auth.FitbitContext'
        $context.Profile | Should -Be 'pester'
        $context.HealthUserId | Should -Not -BeNullOrEmpty
        $context.GrantedScopes | Should -Contain 'Sleep'
        $context.TokenCacheKind | Should -Be 'Passphrase'
        $context.CacheEncrypted | Should -BeTrue
        $context.Endpoint | Should -Be $script:baseUrl
        $context.PSObject.Properties.Name | Where-Object { $_ -match 'token$|secret' } | Should -BeNullOrEmpty
        ($context | Out-String) | Should -Not -Match 'ya29|1//'
    }

    It 'signs in silently the second time (no browser, no client parameters)' {
        $env:FITBITPS_BROWSER = 'false'   # a browser launch would now fail the sign-in
        try {
            $context = Connect-Fitbit -Profile pester -TimeoutSec 10 -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $context.HealthUserId | Should -Not -BeNullOrEmpty
            ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'without a browser'
        }
        finally {
            Set-TestBrowser -Folder $TestDrive
        }
    }

    It 'fails at once in a non-interactive session with the command to run' {
        $out = Invoke-CurrentPwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; try { Connect-Fitbit -Profile never -ClientSecretFile '$($script:clientFile)' -TokenCache Passphrase } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" 2>&1
        ($out -join "`n") | Should -Match 'FitbitInteractiveSignInRequired'
        ($out -join "`n") | Should -Match 'Connect-Fitbit -Profile never'
    }

    It '-NoBrowser reads the pasted redirect address from piped input' {
        $psi = New-CurrentPwshStartInfo -ArgumentList @('-NoProfile', '-Command', "Import-Module '$manifest'; Connect-Fitbit -Profile piped -NoBrowser -ClientSecretFile '$($script:clientFile)' -TokenCache Passphrase | ForEach-Object { 'HEALTHUSER=' + `$_.HealthUserId }")
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $child = [System.Diagnostics.Process]::Start($psi)
        try {
            $url = $null
            while ($null -ne ($line = $child.StandardOutput.ReadLine())) {
                if ($line -match '^(http://127\.0\.0\.1:\d+/o/oauth2/v2/auth\?\S+)') { $url = $Matches[1]; break }
            }
            $url | Should -Match 'access_type=offline'
            # Sign in "on another device": the emulator approves and redirects; take the Location like a person copies the address bar.
            $answer = Invoke-WebRequest -Uri $url -UseBasicParsing -MaximumRedirection 0 -SkipHttpErrorCheck -ErrorAction SilentlyContinue
            $redirect = [string]$answer.Headers['Location']
            $redirect | Should -Match 'code='
            $child.StandardInput.WriteLine($redirect)
            $child.StandardInput.Close()
            $rest = $child.StandardOutput.ReadToEnd()
            $child.WaitForExit(60000) | Should -BeTrue
            $rest | Should -Match 'HEALTHUSER=\S+'
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
    }

    It '-NoBrowser can be finished later by piping the redirect address to Connect-Fitbit' {
        $script = @"
Import-Module '$manifest'
try { Connect-Fitbit -Profile later -NoBrowser -ClientSecretFile '$($script:clientFile)' -TokenCache Passphrase -InformationVariable iv -ErrorAction Stop }
catch { 'ERRORID=' + `$_.FullyQualifiedErrorId }
`$redirect = [Console]::In.ReadLine()
`$redirect | Connect-Fitbit -Profile later | ForEach-Object { 'HEALTHUSER=' + `$_.HealthUserId }
"@
        $psi = New-CurrentPwshStartInfo -ArgumentList @('-NoProfile', '-Command', $script)
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $child = [System.Diagnostics.Process]::Start($psi)
        try {
            $child.StandardInput.WriteLine('')   # the person presses Enter at the prompt: finish later
            $url = $null; $errorId = $null
            while ($null -ne ($line = $child.StandardOutput.ReadLine())) {
                if ($line -match '(http://127\.0\.0\.1:\d+/o/oauth2/v2/auth\?\S+)') { $url = $Matches[1] }
                if ($line -match 'ERRORID=(\S+)') { $errorId = $Matches[1]; break }
            }
            $errorId | Should -BeLike 'FitbitSignInPending*'
            $answer = Invoke-WebRequest -Uri $url -UseBasicParsing -MaximumRedirection 0 -SkipHttpErrorCheck -ErrorAction SilentlyContinue
            $child.StandardInput.WriteLine([string]$answer.Headers['Location'])
            $child.StandardInput.Close()
            $rest = $child.StandardOutput.ReadToEnd()
            $child.WaitForExit(60000) | Should -BeTrue
            $rest | Should -Match 'HEALTHUSER=\S+'
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
    }
}

Describe 'Connect-Fitbit refuses what it cannot use, before any browser opens' {
    BeforeAll {
        # A "browser" that only leaves a mark: it must never run in these tests.
        $script:mark = Join-Path $TestDrive 'browser-opened.txt'
        $markScript = Join-Path $TestDrive 'mark-browser.ps1'
        Set-Content -Path $markScript -Value "Set-Content -Path '$($script:mark)' -Value opened"
        $script:savedBrowser = $env:FITBITPS_BROWSER
        $env:FITBITPS_BROWSER = (Get-CurrentPwshCommandLine) + " -NoProfile -File `"$markScript`""
    }
    AfterAll { $env:FITBITPS_BROWSER = $script:savedBrowser }

    It 'a client file whose client_id is an object names the file, the field and where to get a good one' {
        $bad = Join-Path $TestDrive 'client_secret_object_id.json'
        Set-Content -Path $bad -Value '{"installed":{"client_id":{"value":"x"},"client_secret":"GOCSPX-pester-secret"}}'
        $caught = $null
        try { Connect-Fitbit -Profile badfile -ClientSecretFile $bad -TokenCache Process -TimeoutSec 10 -ErrorAction Stop | Out-Null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'FitbitClientSecretsInvalid,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.Exception.Message | Should -Match ([regex]::Escape($bad))
        $caught.Exception.Message | Should -Match '"installed\.client_id" is an object; it should be a string'
        $caught.Exception.Message | Should -Not -Match 'Can not convert|GOCSPX-pester-secret'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Google Auth Platform'
        Test-Path $script:mark | Should -BeFalse
    }

    It 'a -Port that no redirect URI of a Web client names is an error listing the registered URIs' {
        $web = Join-Path $TestDrive 'client_secret_web.json'
        $token = $script:baseUrl + 'token'
        Set-Content -Path $web -Value ('{"web":{"client_id":"pester-web.apps.googleusercontent.com","client_secret":"GOCSPX-pester-web","token_uri":"' + $token + '","redirect_uris":["http://localhost:18400/"]}}')
        $caught = $null
        try { Connect-Fitbit -Profile webport -ClientSecretFile $web -Port 18401 -TokenCache Process -TimeoutSec 10 -ErrorAction Stop | Out-Null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'FitbitRedirectUriNotRegistered,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match ([regex]::Escape('http://localhost:18400/'))
        $caught.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Test-Path $script:mark | Should -BeFalse
    }
}

Describe 'Connect-Fitbit and Google''s answer to "who signed in"' {
    AfterEach { Clear-EmulatorFaults -Emulator $script:emu }
    # The Process cache lives as long as this pwsh, which runs every test file: leave no profile on this file's emulator.
    AfterAll { 'identity503', 'identitybad' | ForEach-Object { Disconnect-Fitbit -Profile $_ -ErrorAction SilentlyContinue | Out-Null } }

    It 'finishes the sign-in after two 503s' {
        Add-EmulatorFault -Emulator $script:emu -Kind Unavailable -Count 2 -PathContains identity
        $context = Connect-Fitbit -Profile identity503 -ClientSecretFile $script:clientFile -TokenCache Process -TimeoutSec 60
        $context.HealthUserId | Should -Not -BeNullOrEmpty
    }

    It 'says in words that an unreadable answer could not be read' {
        Add-EmulatorFault -Emulator $script:emu -Kind MalformedJson -Count 5 -PathContains identity
        $caught = $null
        try { Connect-Fitbit -Profile identitybad -ClientSecretFile $script:clientFile -TokenCache Process -TimeoutSec 60 -ErrorAction Stop | Out-Null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'FitbitIdentityRequestFailed,*'
        $caught.Exception.Message | Should -Match 'could not be read'
        $caught.Exception.Message | Should -Not -Match 'Unexpected character'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Connect-Fitbit'
    }
}

Describe 'Get-FitbitContext' {
    It 'shows the signed-in profile and lists profiles' {
        $context = Get-FitbitContext -Profile pester
        $context.Profile | Should -Be 'pester'
        $context.HealthUserId | Should -Not -BeNullOrEmpty
        $context.AccessTokenExpiresUtc | Should -BeOfType [datetime]
        (Get-FitbitContext -ListAvailable).Profile | Should -Contain 'pester'
    }

    It 'reports an unknown profile as a non-terminating error with a stable id' {
        $null = Get-FitbitContext -Profile nobody -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FitbitNotSignedIn*'
    }
}

Describe 'Disconnect-Fitbit' {
    It '-WhatIf removes nothing' {
        Disconnect-Fitbit -Profile pester -WhatIf
        (Get-FitbitContext -ListAvailable).Profile | Should -Contain 'pester'
        Get-ChildItem $env:FITBITPS_HOME -Filter 'pester.*' | Should -Not -BeNullOrEmpty
    }

    It '-Revoke removes the profile' {
        Disconnect-Fitbit -Profile pester -Revoke -Confirm:$false
        (Get-FitbitContext -ListAvailable).Profile | Should -Not -Contain 'pester'
    }
}
