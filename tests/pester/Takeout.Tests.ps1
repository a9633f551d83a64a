#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Import-FitbitTakeout on a real pwsh: the emulator's person as a Google Takeout zip (POST /_emulator/takeout) gives the
# readers' record objects day by day, pipes into Export-Csv, merges into an export folder's store beside the API days
# (offline reads then see the Takeout days, with no false "days missing" warning), -WhatIf writes nothing, a damaged
# file is a warning naming it while the rest imports, and a re-import adds nothing.
# Run from the repository root after a build:  Invoke-Pester tests/pester/Takeout.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
    $script:to = (Get-Date).Date.AddDays(-1)
    $script:from = $script:to.AddDays(-44)               # 45 days
    $script:apiFrom = $script:to.AddDays(-9)             # the API's 10 days; the Takeout alone has the 35 before them
    $script:zip = (Save-EmulatorTakeout $script:emu (Join-Path $TestDrive 'takeout.zip') -From $script:from -To $script:to).FullName

    # Every property of every object as text, in order: two reads are equal when these lines are.
    function ConvertTo-Lines($Objects) { @($Objects | ForEach-Object { ($_.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join '|' }) }
}

AfterAll { Complete-SignedInSession $script:emu }

Describe 'Import-FitbitTakeout to the pipeline' {
    It 'gives the readers'' record objects, one group per day' {
        Push-Location $TestDrive
        try { $records = @(Import-FitbitTakeout ./takeout.zip) } finally { Pop-Location }
        $days = @($records | Group-Object { $_.Date.ToString('yyyy-MM-dd') })
        $days.Count | Should -Be 45 -Because 'the archive holds 45 days, each with its activity'
        $days | ForEach-Object { @($_.Group | ForEach-Object { $_.GetType().Name }) | Should -Contain 'ActivityDay' }
        @($records | ForEach-Object { $_.GetType().Name } | Sort-Object -Unique) |
            Should -Be @('ActivityDay', 'BodyWeight', 'HeartRateVariability', 'OxygenSaturation', 'RestingHeartRate', 'SleepSession', 'SleepStage')
        # The very types the readers write (Format-Table views, Export-Csv columns).
        $records.Where({ $_.GetType().Name -eq 'ActivityDay' }, 'First')[0].GetType() | Should -Be (Get-FitbitActivity -Days 1)[0].GetType()
        $records.Where({ $_.GetType().Name -eq 'SleepSession' }, 'First')[0].GetType() | Should -Be (Get-FitbitSleep -Days 3)[0].GetType()
    }

    It 'equals the API readers for the same days (activity, resting heart rate)' {
        $range = @{ From = $script:to.AddDays(-6); To = $script:to.AddDays(-1) }
        $takeout = @(Import-FitbitTakeout $script:zip -DataType Activity, RestingHeartRate @range)
        $activity = @(Get-FitbitActivity @range)
        @($takeout.Where({ $_.GetType().Name -eq 'ActivityDay' }) | ForEach-Object { "$($_.Date.ToString('yyyy-MM-dd')) $($_.Steps)" }) |
            Should -Be @($activity | ForEach-Object { "$($_.Date.ToString('yyyy-MM-dd')) $($_.Steps)" })
        @($takeout.Where({ $_.GetType().Name -eq 'RestingHeartRate' }) | ForEach-Object { "$($_.Date.ToString('yyyy-MM-dd')) $($_.BeatsPerMinute)" }) |
            Should -Be @(Get-FitbitHeartRate @range | ForEach-Object { "$($_.Date.ToString('yyyy-MM-dd')) $($_.BeatsPerMinute)" })
    }

    It '-DataType Sleep pipes into Export-Csv' {
        $csv = Join-Path $TestDrive 'sleep.csv'
        Import-FitbitTakeout $script:zip -DataType Sleep | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -BeGreaterOrEqual 45 -Because 'a night a day, and naps'
        $rows[0].PSObject.Properties.Name | Should -Contain 'MinutesAsleep'
        $rows | ForEach-Object { [int]$_.MinutesAsleep | Should -BeGreaterThan 0 }
    }

    It 'takes files piped from Get-ChildItem and wildcards, reading one archive once' {
        $direct = @(Import-FitbitTakeout $script:zip -DataType Weight, RestingHeartRate).Count
        $direct | Should -BeGreaterThan 45
        @(Get-ChildItem (Join-Path $TestDrive 'takeout.zip') | Import-FitbitTakeout -DataType Weight, RestingHeartRate).Count | Should -Be $direct
        @(Import-FitbitTakeout (Join-Path $TestDrive 'take*.zip'), $script:zip -DataType Weight, RestingHeartRate).Count | Should -Be $direct
    }

    It '-From/-To keep only those days' {
        $d = $script:to.AddDays(-3)
        $r = @(Import-FitbitTakeout $script:zip -DataType Activity -From $d -To $d)
        $r.Count | Should -Be 1
        $r[0].Date | Should -Be $d
    }

    It 'a damaged file becomes a warning naming it, and the rest imports' {
        $bad = Join-Path $TestDrive 'legacy-damaged.zip'
        Save-EmulatorTakeout $script:emu $bad -Layout Fitbit -From $script:from -To $script:to | Out-Null
        Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::Open($bad, 'Update')
        try {
            $entry = @($archive.Entries | Where-Object { $_.FullName -like '*Global Export Data/weight-*.json' })[0]
            $name = $entry.FullName
            $entry.Delete()
            $writer = [System.IO.StreamWriter]::new($archive.CreateEntry($name).Open())
            $writer.Write('[{ "logId": 1, "weight": ')
            $writer.Dispose()
        } finally { $archive.Dispose() }

        $records = @(Import-FitbitTakeout $bad -WarningVariable w -WarningAction SilentlyContinue)
        @($w).Count | Should -Be 1
        "$($w[0])" | Should -BeLike "*$([System.IO.Path]::GetFileName($name))*"
        @($records.Where({ $_.GetType().Name -eq 'BodyWeight' })).Count | Should -Be 0
        @($records.Where({ $_.GetType().Name -eq 'SleepSession' })).Count | Should -BeGreaterOrEqual 45
        @($records.Where({ $_.GetType().Name -eq 'ActivityDay' })).Count | Should -Be 45
    }
}

Describe 'Import-FitbitTakeout -Destination' {
    BeforeAll {
        $script:folder = Join-Path $TestDrive 'export'
        Export-FitbitData -Path $script:folder -DataType Sleep, SleepStage, Activity -From $script:apiFrom -To $script:to | Out-Null
        $script:db = Join-Path $script:folder 'fitbitps.db'
    }

    It '-WhatIf writes nothing' {
        $elsewhere = Join-Path $TestDrive 'whatif'
        Import-FitbitTakeout $script:zip -Destination $elsewhere -WhatIf | Should -BeNullOrEmpty
        Test-Path $elsewhere | Should -BeFalse
        $before = (Get-Item $script:db).LastWriteTimeUtc, (Get-Item $script:db).Length
        Import-FitbitTakeout $script:zip -Destination $script:folder -WhatIf | Should -BeNullOrEmpty
        (Get-Item $script:db).LastWriteTimeUtc, (Get-Item $script:db).Length | Should -Be $before
        (Invoke-FitbitQuery $script:folder "SELECT count(*) AS n FROM sleep_sessions WHERE Date < @d" -Parameter @{ d = $script:apiFrom }).n | Should -Be 0
    }

    It 'fills the days before the API''s, one result per kind' {
        $results = @(Import-FitbitTakeout $script:zip -DataType Sleep, SleepStage, Activity -Destination $script:folder)
        $results.Kind | Should -Be @('Activity', 'Sleep', 'SleepStage')
        $activity = $results | Where-Object Kind -eq 'Activity'
        $activity.RowsAdded | Should -Be 35
        $activity.RowsUpdated | Should -Be 0
        $activity.From | Should -Be $script:from
        $activity.To | Should -Be $script:apiFrom.AddDays(-1)
        $results | ForEach-Object { $_.File | Should -Exist }
    }

    It 'then an offline Get-FitbitSleep of Takeout-only days equals what the Takeout gave, with no warning' {
        $range = @{ From = $script:from; To = $script:apiFrom.AddDays(-2) }
        $offline = @(Get-FitbitSleep -Path $script:folder @range -WarningVariable w -WarningAction SilentlyContinue)
        @($w) | Should -BeNullOrEmpty -Because 'the store holds these days (from the Takeout), so none is missing'
        $takeout = @(Import-FitbitTakeout $script:zip -DataType Sleep @range)
        $offline.Count | Should -BeGreaterOrEqual 30
        $offline.Count | Should -Be $takeout.Count
        Compare-Object (ConvertTo-Lines $takeout) (ConvertTo-Lines $offline) | Should -BeNullOrEmpty
    }

    It 'a re-import adds nothing' {
        $sql = 'SELECT (SELECT count(*) FROM sleep_sessions) AS s, (SELECT count(*) FROM sleep_stages) AS t, (SELECT count(*) FROM activity) AS a'
        $before = Invoke-FitbitQuery $script:folder $sql
        $again = @(Import-FitbitTakeout $script:zip -DataType Sleep, SleepStage, Activity -Destination $script:folder)
        $again | ForEach-Object { "$($_.Kind) $($_.RowsAdded) $($_.RowsUpdated) $($_.RowsRemoved)" } |
            Should -Be @('Activity 0 0 0', 'Sleep 0 0 0', 'SleepStage 0 0 0')
        $after = Invoke-FitbitQuery $script:folder $sql
        "$($after.s) $($after.t) $($after.a)" | Should -Be "$($before.s) $($before.t) $($before.a)"
    }
}
