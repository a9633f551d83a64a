#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The store on a real pwsh: an export fills fitbitps.db (SQLite, loaded by the module's own load context), every
# reader reads it back offline (-Path) with the same objects as the live read and zero requests, Invoke-FitbitQuery
# answers SQL read-only, and Export-FitbitData -Reparse re-derives the records with no request.
# Run from the repository root after a build:  Invoke-Pester tests/pester/Store.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-BuiltFitbitPS | Out-Null
    $script:emu = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'client_secret.json')
    $script:cacheHome = Join-Path $TestDrive 'cache'
    New-Item -ItemType Directory -Path $script:cacheHome -Force | Out-Null
    $env:FITBITPS_HOME = $script:cacheHome
    Set-TestBrowser -Folder $TestDrive
    Connect-Fitbit -ClientSecretFile $script:emu.ClientSecretsFile -TokenCache Process -TimeoutSec 60 | Out-Null

    $script:folder = Join-Path $TestDrive 'export'
    $script:to = (Get-Date).Date.AddDays(-1)          # complete days only: today's still grows as the emulator's clock runs
    $script:from = $script:to.AddDays(-20)
    Export-FitbitData -Path $script:folder -DataType All -IncludeIntraday -From $script:from | Out-Null

    # Every property of every object as text, in order: two reads are equal when these lines are.
    function ConvertTo-Lines($Objects) { @($Objects | ForEach-Object { ($_.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join '|' }) }
}

AfterAll {
    Disconnect-Fitbit -ErrorAction SilentlyContinue | Out-Null
    Stop-TestEmulator $script:emu
    Remove-Item Env:FITBITPS_BROWSER, Env:FITBITPS_HOME -ErrorAction SilentlyContinue
    Remove-Module FitbitPS -ErrorAction SilentlyContinue
}

Describe 'Offline reads (-Path)' {
    It '<Command> <Arguments> from the store equals the live read, with zero requests' -ForEach @(
        @{ Command = 'Get-FitbitBodyWeight'; Arguments = @{} }
        @{ Command = 'Get-FitbitActivity'; Arguments = @{} }
        @{ Command = 'Get-FitbitActivity'; Arguments = @{ Interval = 'Minute' }; Days = 2 }
        @{ Command = 'Get-FitbitSleep'; Arguments = @{} }
        @{ Command = 'Get-FitbitSleep'; Arguments = @{ Stages = $true } }
        @{ Command = 'Get-FitbitSleepStage'; Arguments = @{} }
        @{ Command = 'Get-FitbitHeartRate'; Arguments = @{} }
        @{ Command = 'Get-FitbitHeartRate'; Arguments = @{ Raw = $true }; Days = 2 }
        @{ Command = 'Get-FitbitHeartRateVariability'; Arguments = @{} }
        @{ Command = 'Get-FitbitOxygenSaturation'; Arguments = @{} }
        @{ Command = 'Get-FitbitBreathingRate'; Arguments = @{} }
        @{ Command = 'Get-FitbitSkinTemperature'; Arguments = @{} }
        @{ Command = 'Get-FitbitCardioFitness'; Arguments = @{} }
        @{ Command = 'Get-FitbitExercise'; Arguments = @{} }
    ) {
        $days = if ($Days) { $Days } else { 21 }
        $range = @{ From = $script:to.AddDays(1 - $days); To = $script:to }
        $live = @(& $Command @range @Arguments)
        $before = Get-EmulatorRequestCount $script:emu
        $offline = @(& $Command @range @Arguments -Path $script:folder)
        Get-EmulatorRequestCount $script:emu | Should -Be $before -Because 'an offline read asks Google nothing'

        $offline.Count | Should -Be $live.Count
        $live.Count | Should -BeGreaterThan 0 -Because 'the comparison must compare something'
        $offline[0].GetType() | Should -Be $live[0].GetType()
        Compare-Object (ConvertTo-Lines $live) (ConvertTo-Lines $offline) | Should -BeNullOrEmpty
        Compare-Object $live $offline -Property @($live[0].PSObject.Properties.Name) | Should -BeNullOrEmpty
    }

    It 'needs no sign-in: a profile that never signed in reads a folder of one person' {
        $rows = Get-FitbitSleep -Path $script:folder -From $script:from -To $script:to -Profile default
        $rows.Count | Should -BeGreaterThan 10
        (Get-FitbitSleep -Path (Join-Path $script:folder 'fitbitps.db') -From $script:from -To $script:to).Count | Should -Be $rows.Count
    }

    It 'warns about days the store does not hold, instead of passing them off as empty' {
        $out = Get-FitbitActivity -Path $script:folder -From $script:from.AddDays(-10) -To $script:to -WarningVariable w -WarningAction SilentlyContinue
        $out.Count | Should -Be 21
        "$w" | Should -Match 'holds ActivityDay records of .* only'
    }

    It 'refuses what the store does not keep with one clear error' {
        { Get-FitbitHeartRate -Interval Hour -Days 1 -Path $script:folder -ErrorAction Stop } | Should -Throw -ErrorId 'FitbitNotKeptOffline*'
        { Get-FitbitData -DataType steps -Days 1 -Path $script:folder -ErrorAction Stop } | Should -Throw -ErrorId 'FitbitNotKeptOffline*'
    }

    It 'a folder without a store is a clear error' {
        $empty = Join-Path $TestDrive 'no-store'
        New-Item -ItemType Directory -Path $empty | Out-Null
        { Get-FitbitSleep -Path $empty -ErrorAction Stop } | Should -Throw -ErrorId 'FitbitExportStoreNotFound*'
    }
}

Describe 'Invoke-FitbitQuery' {
    It 'answers the daily view: one row per day with steps, sleep, resting heart rate and weight' {
        $rows = @(Invoke-FitbitQuery $script:folder 'SELECT * FROM daily WHERE Date BETWEEN @from AND @to ORDER BY Date' -Parameter @{ from = $script:from; to = $script:to })
        $rows.Count | Should -Be 21
        $activity = Get-FitbitActivity -Path $script:folder -From $script:from -To $script:to
        $rows.Steps | Should -Be $activity.Steps
        $rows[0].PSObject.Properties.Name | Should -Contain 'SleepMinutes'
        $rows[0].PSObject.Properties.Name | Should -Contain 'RestingHeartRate'
        ($rows | Where-Object RestingHeartRate).Count | Should -Be 21
    }

    It 'cannot change the store, and says so' {
        $before = (Invoke-FitbitQuery $script:folder 'SELECT count(*) AS n FROM weight').n
        { Invoke-FitbitQuery $script:folder 'DELETE FROM weight' -ErrorAction Stop } | Should -Throw -ErrorId 'FitbitInvalidQuery*'
        (Invoke-FitbitQuery $script:folder 'SELECT count(*) AS n FROM weight').n | Should -Be $before
    }

    It 'a mistake in the SQL names the tables there are' {
        $e = { Invoke-FitbitQuery $script:folder 'SELECT * FROM nosuch' -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'FitbitInvalidQuery*'
        $e.Exception.Message | Should -Match 'no such table: nosuch'
        $e.ErrorDetails.RecommendedAction + $e.Exception.RecommendedAction | Should -Match 'daily'
    }
}

Describe 'Export-FitbitData -Reparse' {
    It '-WhatIf writes nothing' {
        $db = Join-Path $script:folder 'fitbitps.db'
        $before = (Get-FileHash $db).Hash
        Export-FitbitData -Path $script:folder -Reparse -WhatIf | Should -BeNullOrEmpty
        (Get-FileHash $db).Hash | Should -Be $before
    }

    It 're-derives every kind from the kept answers with zero requests' {
        $sleepBefore = Get-FileHash (Join-Path $script:folder 'sleep-sessions.csv')
        $before = Get-EmulatorRequestCount $script:emu
        $results = @(Export-FitbitData -Path $script:folder -Reparse)
        Get-EmulatorRequestCount $script:emu | Should -Be $before
        $results.Kind | Should -Contain 'HeartRateIntraday'
        $results | ForEach-Object { $_.Requests | Should -Be 0 }
        ($results | Where-Object Kind -eq 'Sleep').RowsTotal | Should -BeGreaterThan 10
        (Get-FileHash (Join-Path $script:folder 'sleep-sessions.csv')).Hash | Should -Be $sleepBefore.Hash
    }
}
