#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Error records a person can act on: one id per mistake, a real target, a recommended action.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
    $env:FITBITPS_CACHE_PASSPHRASE = 'pester errors'

    function Get-Failure([scriptblock] $Command) {
        try { & $Command | Out-Null; $null } catch { $_ }
    }
}

AfterAll {
    Remove-Item Env:FITBITPS_CACHE_PASSPHRASE -ErrorAction SilentlyContinue
    Complete-SignedInSession $script:emu
}

Describe 'A reversed range' {
    It 'is FitbitInvalidRange with the same target and advice from <Name>' -ForEach @(
        @{ Name = 'Get-FitbitSleep'; Run = { Get-FitbitSleep -From 2026-11-05 -To 2026-11-01 -ErrorAction Stop } }
        @{ Name = 'Get-FitbitActivity'; Run = { Get-FitbitActivity -From 2026-11-05 -To 2026-11-01 -ErrorAction Stop } }
        @{ Name = 'Export-FitbitData'; Run = { Export-FitbitData -Path (Join-Path $TestDrive 'reversed') -From 2026-11-05 -To 2026-11-01 -ErrorAction Stop } }
    ) {
        $e = Get-Failure $Run
        $e.FullyQualifiedErrorId | Should -BeLike 'FitbitInvalidRange,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -Be '-From 2026-11-05 -To 2026-11-01'
        $e.ErrorDetails.RecommendedAction | Should -Be 'Swap them: -From 2026-11-01 -To 2026-11-05.'
        $e.Exception.Message | Should -Not -Match "Parameter '"
    }
}

Describe 'Targets' {
    It 'no error record carries an anonymous type as its target' {
        $errors = @()
        $errors += Get-Failure { Get-FitbitSleep -From 2026-11-05 -To 2026-11-01 -ErrorAction Stop }
        $errors += Get-Failure { Get-FitbitSleep -Days 3 -From 2026-01-01 -To 2026-01-05 -ErrorAction Stop }
        $errors += Get-Failure { Get-FitbitSleep -From (Get-Date).AddDays(40) -ErrorAction Stop }
        $errors += Get-Failure { Get-FitbitSleep -Profile nobody -Days 1 -ErrorAction Stop }
        $errors += Get-Failure { Export-FitbitData -Path (Join-Path $TestDrive 'x') -DataType Weight -From (Get-Date).AddDays(40) -ErrorAction Stop }
        $errors += Get-Failure { Get-FitbitData no-such-type -ErrorAction Stop }
        $errors | Should -HaveCount 6
        foreach ($e in $errors) {
            $e | Should -Not -BeNullOrEmpty
            if ($null -ne $e.TargetObject) { $e.TargetObject.GetType().Name | Should -Not -Match 'AnonymousType' }
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because $e.FullyQualifiedErrorId
        }
    }
}

Describe 'The OS keyring unavailable' {
    It 'says so in words, with a recommended action and without raw library text' {
        $manifest = Get-BuiltManifest
        $script = "Import-Module '$manifest'; try { Connect-Fitbit -Profile keyring -ClientSecretFile '$($script:emu.ClientSecretsFile)' -TokenCache Protected -ErrorAction Stop } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'MESSAGE=' + `$_.Exception.Message; 'ACTION=' + `$_.ErrorDetails.RecommendedAction }"
        $saved = $env:DBUS_SESSION_BUS_ADDRESS
        try {
            $env:DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/fitbitps-no-bus'
            $out = (Invoke-CurrentPwsh -NoProfile -NonInteractive -Command $script) -join "`n"
        }
        finally { $env:DBUS_SESSION_BUS_ADDRESS = $saved }
        $out | Should -Match 'ID=FitbitProtectedCacheUnavailable'
        $message = ($out -split "`n" | Where-Object { $_ -like 'MESSAGE=*' }) -replace '^MESSAGE=', ''
        $action = ($out -split "`n" | Where-Object { $_ -like 'ACTION=*' }) -replace '^ACTION=', ''
        $message | Should -Match "profile 'keyring'"
        $message | Should -Not -Match '\.\.'
        $message | Should -Not -Match 'Msal|Exception|libsecret-1\.so|org\.freedesktop'
        $action | Should -Match '-TokenCache Passphrase'
        $action | Should -Match 'docs/authentication.md'
    }
}

Describe 'Disconnect-Fitbit -Revoke with Google unreachable' {
    BeforeAll {
        $script:gone = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'gone.json')
        Connect-Fitbit -Profile gone -ClientSecretFile $script:gone.ClientSecretsFile -TokenCache Passphrase -TimeoutSec 60 | Out-Null
        Stop-TestEmulator $script:gone
    }

    It 'keeps the local tokens, says so, and says how to remove them' {
        Disconnect-Fitbit -Profile gone -Revoke -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FitbitRevokeFailed,*'
        $err[0].Exception.Message | Should -Match "still saved on this computer"
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Disconnect-Fitbit -Profile gone -Revoke again'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Disconnect-Fitbit -Profile gone and withdraw'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'myaccount.google.com'
        (Get-FitbitContext -ListAvailable).Profile | Should -Contain 'gone'
    }

    It 'without -Revoke the local tokens go' {
        Disconnect-Fitbit -Profile gone -Confirm:$false
        (Get-FitbitContext -ListAvailable).Profile | Should -Not -Contain 'gone'
    }
}

Describe 'A tampered token cache' {
    BeforeAll {
        # Signed in by another process, so this session holds no open session of the profile.
        Invoke-CurrentPwsh -NoProfile -Command "Import-Module '$(Get-BuiltManifest)'; Connect-Fitbit -Profile tampered -ClientSecretFile '$($script:emu.ClientSecretsFile)' -TokenCache Passphrase -TimeoutSec 60 | Out-Null"
        $file = Get-ChildItem $env:FITBITPS_HOME -Filter 'tampered.*' | Where-Object Extension -ne '.lock' | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $bytes[$bytes.Length - 40] = $bytes[$bytes.Length - 40] -bxor 0x20
        [IO.File]::WriteAllBytes($file.FullName, $bytes)
    }

    It 'is listed as Damaged with what to do, never as signed in' {
        $c = Get-FitbitContext -ListAvailable | Where-Object Profile -eq 'tampered'
        $c.Status | Should -Be 'Damaged'
        $c.SignedIn | Should -BeFalse
        $c.StatusMessage | Should -Match 'cannot be trusted'
        $c.StatusMessage | Should -Match 'Disconnect-Fitbit'
    }

    It 'a reader stops with FitbitCacheTampered' {
        $e = Get-Failure { Get-FitbitSleep -Profile tampered -Days 1 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'FitbitCacheTampered,*'
    }
}

Describe 'A token cache whose header is damaged' {
    BeforeAll {
        Invoke-CurrentPwsh -NoProfile -Command "Import-Module '$(Get-BuiltManifest)'; Connect-Fitbit -Profile damaged -ClientSecretFile '$($script:emu.ClientSecretsFile)' -TokenCache Passphrase -TimeoutSec 60 | Out-Null"
        $file = Get-ChildItem $env:FITBITPS_HOME -Filter 'damaged.tokens.aes' | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $bytes[12] = $bytes[12] -bxor 0x01   # one bit of the salt
        [IO.File]::WriteAllBytes($file.FullName, $bytes)
    }

    It 'a reader stops with FitbitCacheDamaged and the way out, not with a wrong passphrase' {
        $e = Get-Failure { Get-FitbitSleep -Profile damaged -Days 1 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'FitbitCacheDamaged,*'
        $e.Exception.Message | Should -Not -Match 'passphrase does not open'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Disconnect-Fitbit -Profile damaged'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Connect-Fitbit -Profile damaged'
    }

    It 'is listed as Damaged, never as Locked' {
        $c = Get-FitbitContext -ListAvailable | Where-Object Profile -eq 'damaged'
        $c.Status | Should -Be 'Damaged'
        $c.StatusMessage | Should -Match 'Disconnect-Fitbit'
    }
}

Describe 'A Google account without a Google Health profile (ACCOUNT_NOT_LINKED)' {
    BeforeAll { $script:signUp = 'https://www.fitbit.com/setup' }

    It 'Connect-Fitbit ends with one error that carries Google''s sign-up link' {
        $unlinked = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'unlinked.json') -ExtraArguments '--account-not-linked'
        try {
            $caught = $null
            try { Connect-Fitbit -Profile unlinked -ClientSecretFile $unlinked.ClientSecretsFile -TokenCache Process -TimeoutSec 60 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null }
            catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because 'a failed sign-in ends the command'
            @($err) | Should -HaveCount 1
            $caught.FullyQualifiedErrorId | Should -BeLike 'FitbitAccountNotLinked,*'
            $caught.Exception.Message | Should -Match ([regex]::Escape($script:signUp))
            $caught.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($script:signUp))
        }
        finally { Stop-TestEmulator $unlinked }
    }

    It 'a reader stops at once with one error that carries the link' {
        Invoke-RestMethod -Method Post -Uri ($script:emu.BaseUrl + '_emulator/account') -Body '{"linked":false}' -ContentType 'application/json' | Out-Null
        try {
            $caught = $null
            # Non-terminating errors would land in $ev too: the command must end with exactly one.
            try { Get-FitbitActivity -Days 60 -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            @($ev) | Should -HaveCount 1
            $caught.FullyQualifiedErrorId | Should -BeLike 'FitbitAccountNotLinked,*'
            $caught.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($script:signUp))
        }
        finally { Invoke-RestMethod -Method Post -Uri ($script:emu.BaseUrl + '_emulator/account') -Body '{"linked":true}' -ContentType 'application/json' | Out-Null }
    }
}
