#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-FitbitReport on a real pwsh: one HTML file from the store of an export folder, with no request; -WhatIf writes
# nothing; a kind the store has nothing of is a sentence on the page, not an empty chart; -Show opens the default
# browser. (What the page does in a browser is tested in Chromium by tests/FitbitPS.Tests/Report.)
# Run from the repository root after a build:  Invoke-Pester tests/pester/Report.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
    $script:to = (Get-Date).Date.AddDays(-1)
    $script:full = Join-Path $TestDrive 'full'
    Export-FitbitData -Path $script:full -From $script:to.AddDays(-40) -To $script:to | Out-Null
    Export-FitbitData -Path $script:full -DataType HeartRateIntraday, ActivityIntraday -From $script:to.AddDays(-1) -To $script:to | Out-Null
    # A store with steps and sleep only: weight, heart rate and the vitals are not in it.
    $script:partial = Join-Path $TestDrive 'partial'
    Export-FitbitData -Path $script:partial -DataType Activity, Sleep -From $script:to.AddDays(-20) -To $script:to | Out-Null
}

AfterAll { Complete-SignedInSession $script:emu }

Describe 'Export-FitbitReport' {
    It 'writes one self-contained HTML file into the export folder, with no request, and says what it drew' {
        $before = Get-EmulatorRequestCount $script:emu
        $r = Export-FitbitReport $script:full
        Get-EmulatorRequestCount $script:emu | Should -Be $before -Because 'the report reads the store only'

        $r.Path | Should -Be (Join-Path $script:full 'fitbitps-report.html')
        $r.Path | Should -Exist
        $r.Bytes | Should -Be (Get-Item $r.Path).Length
        $r.From | Should -Be $script:to.AddDays(-40)
        $r.To | Should -Be $script:to
        $r.Units | Should -Be 'lb, mi, °F' -Because "the emulator's account is set to pounds, miles and Fahrenheit"
        $r.Empty | Should -BeNullOrEmpty
        $r.Charts.Keys | Should -Contain 'sleep'
        $r.Charts['steps'] | Should -Be 41
        $r.Charts['day'] | Should -BeGreaterThan 1000 -Because 'the last day has heart-rate samples'

        $html = Get-Content $r.Path -Raw
        $html | Should -Match '<script type="application/json" id="fitbitps-data">'
        $html | Should -Match 'http-equiv="Content-Security-Policy" content="default-src ''none'''
        $html | Should -Not -Match '<script[^>]+src=|<link[^>]+stylesheet|<img[^>]+src="http|@import' -Because 'everything is inline'
        $html | Should -Match 'Apache License'
        if (-not $IsWindows) { (Get-Item $r.Path).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite') -Because 'the page holds health data' }
    }

    It 'writes nothing with -WhatIf' {
        $out = Join-Path $TestDrive 'whatif.html'
        $result = Export-FitbitReport $script:full -OutFile $out -WhatIf
        $result | Should -BeNullOrEmpty
        $out | Should -Not -Exist
        Get-ChildItem $TestDrive -Filter '*.html' -Recurse | Where-Object FullName -NE (Join-Path $script:full 'fitbitps-report.html') | Should -BeNullOrEmpty
    }

    It 'says there is no data for a kind the store does not hold, instead of drawing an empty chart' {
        $r = Export-FitbitReport $script:partial -OutFile (Join-Path $TestDrive 'partial.html')
        $r.Empty | Should -Be @('weight', 'body-fat', 'resting-hr', 'hrv', 'spo2', 'breathing', 'skin-temp', 'day')
        $r.Charts.Keys | Sort-Object | Should -Be @('azm', 'sleep', 'sleep-times', 'steps', 'steps-calendar')
        $html = Get-Content $r.Path -Raw
        $html | Should -Match 'data-no-data="weight">No data: the store holds no weigh-ins for '
        $html | Should -Match 'Export-FitbitData -DataType Weight brings them'
        $html | Should -Not -Match 'data-chart="weight"'
        $html | Should -Match 'data-chart="sleep"'
    }

    It 'shows the range, day and units asked for' {
        $day = $script:to.AddDays(-1)
        $r = Export-FitbitReport $script:full -OutFile (Join-Path $TestDrive 'range.html') -Days 10 -Day $day -Unit Metric
        $r.From | Should -Be $script:to.AddDays(-9)
        $r.To | Should -Be $script:to
        $r.Units | Should -Be 'kg, km, °C'
        $r.Charts['steps'] | Should -Be 10
        $html = Get-Content $r.Path -Raw
        $html | Should -Match ([regex]::Escape("Heart rate (bpm) and steps by minute, $($day.ToString('yyyy-MM-dd'))"))
        $html | Should -Match 'Weight \(kg\) with trend'
    }

    It "leaves out the person's today by default (it was not over when read), and shows it when asked" {
        $folder = Join-Path $TestDrive 'today'
        Export-FitbitData -Path $folder -DataType Activity -From (Get-Date).Date.AddDays(-3) | Out-Null
        # The person's today (the emulator's person lives in New York: not always this computer's date).
        $today = [datetime] (Invoke-FitbitQuery $folder 'SELECT max(Date) AS Last FROM activity').Last
        $today | Should -BeGreaterOrEqual (Get-Date).Date.AddDays(-1)
        (Invoke-FitbitQuery $folder "SELECT last_complete_day AS Day FROM sync_state WHERE kind = 'Activity'").Day | Should -Be $today.AddDays(-1).ToString('yyyy-MM-dd')
        (Export-FitbitReport $folder).To | Should -Be $today.AddDays(-1)
        (Export-FitbitReport $folder -To $today).To | Should -Be $today
    }

    It 'opens the written page with -Show' {
        $opened = Join-Path $TestDrive 'opened.txt'
        $script = Join-Path $TestDrive 'record-url.ps1'
        Set-Content -Path $script -Value "param([string] `$Url) Set-Content -Path '$opened' -Value `$Url"
        $saved = $env:FITBITPS_BROWSER
        try {
            $env:FITBITPS_BROWSER = (Get-CurrentPwshCommandLine) + " -NoProfile -File `"$script`""
            $r = Export-FitbitReport $script:full -OutFile (Join-Path $TestDrive 'show.html') -Show
            # The "browser" is another process: wait for the address it was given to be written whole.
            $url = $null
            $deadline = (Get-Date).AddSeconds(30)
            while (-not ($url -match '\.html\s*$') -and (Get-Date) -lt $deadline) {
                Start-Sleep -Milliseconds 100
                $url = Get-Content $opened -Raw -ErrorAction SilentlyContinue
            }
            "$url".Trim() | Should -Be ([System.Uri]::new($r.Path).AbsoluteUri)
        }
        finally { $env:FITBITPS_BROWSER = $saved }
    }

    It 'fails with one clear error and writes nothing: <Case>' -ForEach @(
        @{ Case = 'a folder without a store'; Arguments = { @{ Path = (New-Item -ItemType Directory (Join-Path $TestDrive 'empty') -Force).FullName } }; ErrorId = 'FitbitExportStoreNotFound' }
        @{ Case = '-OutFile in a missing folder'; Arguments = { @{ Path = $script:full; OutFile = (Join-Path $TestDrive 'nope' 'r.html') } }; ErrorId = 'FitbitExportInvalidPath' }
        @{ Case = 'a reversed range'; Arguments = { @{ Path = $script:full; OutFile = (Join-Path $TestDrive 'rev.html'); From = $script:to; To = $script:to.AddDays(-5) } }; ErrorId = 'FitbitInvalidRange' }
        @{ Case = 'a profile the store does not hold'; Arguments = { @{ Path = $script:full; OutFile = (Join-Path $TestDrive 'who.html'); Profile = 'someone' } }; ErrorId = 'FitbitExportProfileNotInStore' }
    ) {
        $arguments = & $Arguments
        $output = [System.Collections.Generic.List[object]]::new()
        $err = { Export-FitbitReport @arguments | ForEach-Object { $output.Add($_) } } | Should -Throw -PassThru
        $output | Should -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.TargetObject | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Not -BeNullOrEmpty
        if ($arguments.OutFile) { $arguments.OutFile | Should -Not -Exist }
    }
}
