#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The reader cmdlets on a real pwsh against the standalone emulator (real HTTP, real OAuth sign-in).
# Run from the repository root after a build:  Invoke-Pester tests/pester/Readers.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-BuiltFitbitPS | Out-Null
    $script:emu = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'client_secret.json')
    $script:baseUrl = $script:emu.BaseUrl
    $script:secretsFile = $script:emu.ClientSecretsFile

    # Sign in for real: the emulator auto-approves; the "browser" follows the redirects to
    # Connect-Fitbit's loopback listener. Tokens stay in process memory.
    $script:cacheDir = Join-Path $TestDrive 'cache'
    New-Item -ItemType Directory -Path $script:cacheDir -Force | Out-Null
    $env:FITBITPS_HOME = $script:cacheDir
    Set-TestBrowser -Folder $TestDrive
    Connect-Fitbit -ClientSecretFile $script:secretsFile -TokenCache Process -Scope Activity, HealthMetrics, Sleep, Profile, Settings -TimeoutSec 60 | Out-Null

    function Add-EmulatorFault([string] $Kind, [int] $Count, [string] $PathContains, [int] $RetryAfterSeconds = 1) {
        $body = @{ kind = $Kind; count = $Count; pathContains = $PathContains; retryAfterSeconds = $RetryAfterSeconds } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri ($script:baseUrl + '_emulator/faults') -Body $body -ContentType 'application/json' | Out-Null
    }
    function Clear-EmulatorFaults { Invoke-RestMethod -Method Delete -Uri ($script:baseUrl + '_emulator/faults') | Out-Null }
}

AfterAll {
    Disconnect-Fitbit -ErrorAction SilentlyContinue | Out-Null
    Stop-TestEmulator $script:emu
    Remove-Item Env:FITBITPS_BROWSER, Env:FITBITPS_HOME -ErrorAction SilentlyContinue
    Remove-Module FitbitPS -ErrorAction SilentlyContinue
}

Describe 'Reader cmdlets against the emulator' {
    AfterEach { Clear-EmulatorFaults }

    It 'exports every reader named in the manifest' {
        $names = 'Get-FitbitBodyWeight', 'Get-FitbitActivity', 'Get-FitbitSleep', 'Get-FitbitSleepStage', 'Get-FitbitHeartRate',
            'Get-FitbitHeartRateVariability', 'Get-FitbitOxygenSaturation', 'Get-FitbitBreathingRate', 'Get-FitbitSkinTemperature',
            'Get-FitbitCardioFitness', 'Get-FitbitExercise', 'Get-FitbitData'
        foreach ($n in $names) { Get-Command $n -Module FitbitPS | Should -Not -BeNullOrEmpty }
    }

    It 'Get-FitbitBodyWeight gives kg and lb side by side' {
        $w = Get-FitbitBodyWeight -Days 60
        $w | Should -Not -BeNullOrEmpty
        $w[0].GetType().FullName | Should -Be 'FitbitPS.Engine.Records.BodyWeight'
        foreach ($x in $w) { [math]::Abs($x.WeightKg / 0.45359237 - $x.WeightLb) | Should -BeLessThan 0.02 }
        $w[0].LocalTime | Should -BeOfType ([DateTimeOffset])
    }

    It 'Get-FitbitActivity gives one row per day, ascending' {
        $from = (Get-Date).Date.AddDays(-10); $to = (Get-Date).Date.AddDays(-1)
        $days = Get-FitbitActivity -From $from -To $to
        $days.Count | Should -Be 10
        $days[0].Date | Should -Be $from
        $days[-1].Date | Should -Be $to
        ($days | Measure-Object Steps -Sum).Sum | Should -BeGreaterThan 0
        $days[0].DistanceMiles | Should -BeLessThan $days[0].DistanceKm
    }

    It 'Get-FitbitActivity -Interval Hour gives intraday rows' {
        $d = (Get-Date).Date.AddDays(-2)
        $hours = Get-FitbitActivity -From $d -To $d -Interval Hour
        $hours.Count | Should -BeGreaterOrEqual 20
        $hours[0].GetType().FullName | Should -Be 'FitbitPS.Engine.Records.ActivityInterval'
    }

    It 'every -Interval of Get-FitbitActivity adds up to the day, and Get-FitbitHeartRate -Interval brackets the raw samples' {
        # A settled home day (no trip, no DST change): the windows of each size tile the day.
        $d = (Get-Date).Date.AddDays(-4)
        $day = Get-FitbitActivity -From $d -To $d
        foreach ($interval in 'Hour', 'FifteenMinutes', 'Minute') {
            $rows = @(Get-FitbitActivity -From $d -To $d -Interval $interval)
            $rows | Should -Not -BeNullOrEmpty -Because $interval
            ($rows | Measure-Object Steps -Sum).Sum | Should -Be $day.Steps -Because "$interval windows add up to the day"
            ($rows | Measure-Object Floors -Sum).Sum | Should -Be $day.Floors -Because "$interval windows add up to the day"
            $rows | ForEach-Object { $_.Start.Date | Should -Be $d }
        }
        $raw = @(Get-FitbitHeartRate -From $d -To $d -Raw)
        foreach ($interval in 'Hour', 'FifteenMinutes') {
            $windows = @(Get-FitbitHeartRate -From $d -To $d -Interval $interval)
            $windows | Should -Not -BeNullOrEmpty
            ($windows | Measure-Object MinBpm -Minimum).Minimum | Should -Be ($raw | Measure-Object BeatsPerMinute -Minimum).Minimum
            ($windows | Measure-Object MaxBpm -Maximum).Maximum | Should -Be ($raw | Measure-Object BeatsPerMinute -Maximum).Maximum
        }
        $six = @(Get-FitbitData steps -From $d -To $d -WindowSize (New-TimeSpan -Hours 6))
        $six.Count | Should -BeLessOrEqual 4
        ($six | Measure-Object Value -Sum).Sum | Should -Be $day.Steps
    }

    It 'Get-FitbitSleep dates sessions by wake day and its stages add up' {
        $sleep = Get-FitbitSleep -Days 7
        $sleep | Should -Not -BeNullOrEmpty
        foreach ($s in $sleep) {
            $s.End.Date | Should -Be $s.Date
            ($s.DeepMinutes + $s.LightMinutes + $s.RemMinutes + $s.WakeMinutes + $s.AsleepMinutes + $s.RestlessMinutes) | Should -Be $s.TimeInBedMinutes
        }
        $stages = Get-FitbitSleepStage -Days 7
        $stages[0].GetType().FullName | Should -Be 'FitbitPS.Engine.Records.SleepStage'
        (Get-FitbitSleep -Days 7 -Stages).Count | Should -Be $stages.Count
    }

    It 'Get-FitbitHeartRate gives resting, interval and raw readings' {
        $resting = Get-FitbitHeartRate -Days 14
        $resting[0].GetType().FullName | Should -Be 'FitbitPS.Engine.Records.RestingHeartRate'
        $d = (Get-Date).Date.AddDays(-3)
        $hourly = Get-FitbitHeartRate -From $d -To $d -Interval Hour
        $hourly | ForEach-Object { $_.MinBpm | Should -BeLessOrEqual $_.MaxBpm }
        $raw = Get-FitbitHeartRate -From $d -To $d -Raw
        $raw.Count | Should -BeGreaterThan 1000
        $raw[0].Time | Should -BeLessThan $raw[-1].Time
    }

    It 'the daily measurements come back' {
        Get-FitbitHeartRateVariability -Days 14 | Should -Not -BeNullOrEmpty
        Get-FitbitOxygenSaturation -Days 14 | Should -Not -BeNullOrEmpty
        Get-FitbitBreathingRate -Days 14 | Should -Not -BeNullOrEmpty
        Get-FitbitSkinTemperature -Days 14 | Should -Not -BeNullOrEmpty
        Get-FitbitCardioFitness -Days 14 | Should -Not -BeNullOrEmpty
        Get-FitbitExercise -Days 60 | Should -Not -BeNullOrEmpty
    }

    It 'Get-FitbitData reads any type by every method' {
        $d = (Get-Date).Date.AddDays(-2)
        $daily = Get-FitbitData steps -From $d -To $d -Method DailyRollUp
        @($daily).Count | Should -Be 1
        # Hourly windows: hours without steps (the night) come back as no window, so check what they hold:
        # each is one hour of that day, and together they add up to the day's total.
        $hours = @(Get-FitbitData -DataType steps -From $d -To $d -Method RollUp -WindowSize (New-TimeSpan -Hours 1))
        $hours.Count | Should -BeGreaterOrEqual 12
        $hours.Count | Should -BeLessOrEqual 25   # 25: a day that leaves daylight saving time
        foreach ($h in $hours) {
            ($h.End - $h.Start) | Should -Be (New-TimeSpan -Hours 1)
            $h.Start.Date | Should -Be $d
        }
        ($hours | Measure-Object Value -Sum).Sum | Should -Be $daily.Value
        (Get-FitbitData -DataType daily-resting-heart-rate -Days 5)[0].Type | Should -Be 'daily-resting-heart-rate'
        { Get-FitbitData -DataType no-such-type -ErrorAction Stop } | Should -Throw -ErrorId 'FitbitUnknownDataType*'
    }

    It 'tab-completes data types' {
        $r = TabExpansion2 -inputScript 'Get-FitbitData -DataType daily-o' -cursorColumn 'Get-FitbitData -DataType daily-o'.Length
        $r.CompletionMatches.CompletionText | Should -Contain 'daily-oxygen-saturation'
    }

    It 'Get-FitbitSleep -Days 14 | Export-Csv round-trips with readable columns and the same values' {
        $sleep = Get-FitbitSleep -Days 14
        $csv = Join-Path $TestDrive 'sleep.csv'
        $sleep | Export-Csv -Path $csv -NoTypeInformation
        $back = Import-Csv -Path $csv
        $back.Count | Should -Be $sleep.Count
        $columns = $back[0].PSObject.Properties.Name
        foreach ($c in 'Date', 'Start', 'End', 'MinutesAsleep', 'TimeInBedMinutes', 'DeepMinutes', 'RemMinutes', 'IsMainSleep', 'Type') { $columns | Should -Contain $c }
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.Collections|FitbitPS\.Engine'
        for ($i = 0; $i -lt $sleep.Count; $i++) {
            [int]$back[$i].MinutesAsleep | Should -Be $sleep[$i].MinutesAsleep
            [int]$back[$i].DeepMinutes | Should -Be $sleep[$i].DeepMinutes
            # Export-Csv writes dates in the current culture; read them back the same way
            [datetime]::Parse($back[$i].Date, [cultureinfo]::CurrentCulture) | Should -Be $sleep[$i].Date
            [DateTimeOffset]::Parse($back[$i].End, [cultureinfo]::CurrentCulture) | Should -Be $sleep[$i].End
        }
    }

    It 'a failed chunk is a non-terminating error naming its days; -ErrorAction Stop makes it catchable' {
        $from = (Get-Date).Date.AddDays(-30); $to = (Get-Date).Date.AddDays(-1)
        # total-calories is read in 14-day chunks: every attempt of every chunk fails (7 tries each)
        Add-EmulatorFault -Kind Unavailable -Count 100 -PathContains '/total-calories/'
        $days = Get-FitbitActivity -From $from -To $to -ErrorVariable errs -ErrorAction SilentlyContinue
        $days.Count | Should -Be 30           # steps, distance… still stream
        $errs.Count | Should -BeGreaterOrEqual 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FitbitChunkFailed*'
        $errs[0].Exception.Message | Should -Match 'total-calories for \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}'

        Clear-EmulatorFaults
        Add-EmulatorFault -Kind Unavailable -Count 100 -PathContains '/total-calories/'
        $caught = $null
        try { Get-FitbitActivity -From $from -To $to -ErrorAction Stop | Out-Null }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'FitbitChunkFailed*'
    }

    It 'reversed and future ranges are clear errors' {
        { Get-FitbitSleep -From (Get-Date).AddDays(-1) -To (Get-Date).AddDays(-5) -ErrorAction Stop } | Should -Throw '*reversed*'
        { Get-FitbitSleep -From (Get-Date).AddDays(30) -ErrorAction Stop } | Should -Throw '*future*'
    }
}
