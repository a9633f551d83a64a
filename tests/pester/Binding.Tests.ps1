#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# How parameters bind: days typed in any culture, -Profile by Tab and from the pipeline.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
    $script:savedCulture = [cultureinfo]::CurrentCulture
}

AfterAll {
    [cultureinfo]::CurrentCulture = $script:savedCulture
    Complete-SignedInSession $script:emu
}

Describe 'Days bind the same in every culture' {
    AfterEach { [cultureinfo]::CurrentCulture = $script:savedCulture }

    It 'refuses a day that reads two ways under de-DE instead of silently reading 11 January' {
        [cultureinfo]::CurrentCulture = 'de-DE'
        $err = $null
        try { Get-FitbitSleep -From '11/01/2026' -To '11/02/2026' -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError*'
        $err.Exception.Message | Should -Match '2026-11-01'
        $err.Exception.Message | Should -Match '2026-01-11'
        $err.Exception.Message | Should -Match 'yyyy-MM-dd'
    }

    It 'reads ISO days identically under de-DE, en-US and ja-JP' {
        $d = (Get-Date).Date.AddDays(-3).ToString('yyyy-MM-dd')
        $results = foreach ($c in 'de-DE', 'en-US', 'ja-JP') {
            [cultureinfo]::CurrentCulture = $c
            @(Get-FitbitActivity -From $d -To $d).Date
        }
        $results | Should -HaveCount 3
        $results | ForEach-Object { $_ | Should -Be ([datetime]$d) }
    }

    It 'takes a culture-only form when nothing else reads it (25.12.2025 under de-DE)' {
        [cultureinfo]::CurrentCulture = 'de-DE'
        $day = @(Get-FitbitActivity -From '25.12.2025' -To '25.12.2025')
        $day | Should -HaveCount 1
        $day[0].Date | Should -Be ([datetime]'2025-12-25')
    }

    It 'passes [datetime] values through unchanged' {
        $d = (Get-Date).Date.AddDays(-2)
        @(Get-FitbitActivity -From $d -To $d)[0].Date | Should -Be $d
    }

    It 'Export-FitbitData reads -From the same way (ambiguous refused, nothing written)' {
        [cultureinfo]::CurrentCulture = 'de-DE'
        $folder = Join-Path $TestDrive 'ambiguous'
        { Export-FitbitData -Path $folder -From '11/01/2026' -ErrorAction Stop } | Should -Throw '*two different days*'
        $folder | Should -Not -Exist
    }

    It 'says what is wrong with a text that is no day at all' {
        { Get-FitbitSleep -From 'last tuesday' -ErrorAction Stop } | Should -Throw '*is not a date*yyyy-MM-dd*'
    }
}

Describe '-Profile' {
    BeforeAll {
        $env:FITBITPS_CACHE_PASSPHRASE = 'pester binding'
        Connect-Fitbit -Profile 'partner' -ClientSecretFile $script:emu.ClientSecretsFile -TokenCache Passphrase -TimeoutSec 60 | Out-Null
    }
    AfterAll { Remove-Item Env:FITBITPS_CACHE_PASSPHRASE -ErrorAction SilentlyContinue }

    It 'completes saved profile names, not file names' {
        $line = 'Get-FitbitSleep -Profile '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'default'
        $completions | Should -Contain 'partner'
        $completions | Where-Object { $_ -match '[\\/]|\.aes|\.json' } | Should -BeNullOrEmpty
        $line = 'Export-FitbitData -Path x -Profile par'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('partner')
    }

    It 'binds from the Profile property of piped objects: one read per profile' {
        $d = (Get-Date).Date.AddDays(-2)
        $rows = Get-FitbitContext -ListAvailable | Where-Object Status -eq SignedIn | Get-FitbitActivity -From $d -To $d
        @($rows) | Should -HaveCount 2
    }

    It 'Get-FitbitContext -ListAvailable | Disconnect-Fitbit removes every piped profile' {
        Get-FitbitContext -ListAvailable | Where-Object Profile -eq 'partner' | Disconnect-Fitbit -Confirm:$false
        (Get-FitbitContext -ListAvailable).Profile | Should -Not -Contain 'partner'
        (Get-FitbitContext -ListAvailable).Profile | Should -Contain 'default'
    }
}
