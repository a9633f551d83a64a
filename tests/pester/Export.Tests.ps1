#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-FitbitData on a real pwsh against the standalone emulator (real HTTP, real OAuth sign-in),
# and the unattended contract: a scheduled job with no sign-in fails with one clear error and exit code 1.
# Run from the repository root after a build:  Invoke-Pester tests/pester/Export.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:manifest = Import-BuiltFitbitPS
    $script:emu = Start-TestEmulator -ClientSecretsFile (Join-Path $TestDrive 'client_secret.json')
    $script:baseUrl = $script:emu.BaseUrl
    $script:secretsFile = $script:emu.ClientSecretsFile

    # Sign in for real: the emulator auto-approves; the "browser" follows the redirects to
    # Connect-Fitbit's loopback listener. Tokens stay in process memory.
    $script:cacheHome = Join-Path $TestDrive 'cache'
    New-Item -ItemType Directory -Path $script:cacheHome -Force | Out-Null
    $env:FITBITPS_HOME = $script:cacheHome
    Set-TestBrowser -Folder $TestDrive
    Connect-Fitbit -ClientSecretFile $script:secretsFile -TokenCache Process -TimeoutSec 60 | Out-Null

    # Every file of a folder with its SHA-256: "nothing written" means this is unchanged.
    function Get-FolderHash([string] $Path) {
        if (-not (Test-Path $Path)) { return @() }
        Get-ChildItem -LiteralPath $Path -File -Force | Sort-Object Name | ForEach-Object { '{0} {1}' -f $_.Name, (Get-FileHash -LiteralPath $_.FullName).Hash }
    }

    $script:dailyKinds = 'Weight', 'Activity', 'Sleep', 'SleepStage', 'RestingHeartRate', 'HeartRateVariability', 'OxygenSaturation',
        'BreathingRate', 'SkinTemperature', 'CardioFitness', 'Exercise'
    $script:from = (Get-Date).Date.AddDays(-30)
}

AfterAll {
    Disconnect-Fitbit -ErrorAction SilentlyContinue | Out-Null
    Stop-TestEmulator $script:emu
    Remove-Item Env:FITBITPS_BROWSER, Env:FITBITPS_HOME -ErrorAction SilentlyContinue
    Remove-Module FitbitPS -ErrorAction SilentlyContinue
}

Describe 'Export-FitbitData against the emulator' {
    BeforeAll {
        $script:folder = Join-Path $TestDrive 'export'
        $script:first = @(Export-FitbitData -Path $script:folder -From $script:from)
    }

    It 'writes one CSV per daily kind and returns one result per kind' {
        $script:first.Count | Should -Be $script:dailyKinds.Count
        $script:first[0].GetType().FullName | Should -Be 'FitbitPS.Engine.Export.ExportResult'
        $script:first.Kind | Should -Be $script:dailyKinds
        foreach ($r in $script:first) {
            $r.File | Should -Exist
            $r.Error | Should -BeNullOrEmpty
            $r.From | Should -Be $script:from
            $r.RowsTotal | Should -Be $r.RowsAdded
        }
        $activity = $script:first | Where-Object Kind -eq 'Activity'
        $activity.RowsTotal | Should -BeGreaterOrEqual 30
        $rows = Import-Csv $activity.File
        $rows.Count | Should -Be $activity.RowsTotal
        $rows[0].Date | Should -Be $script:from.ToString('yyyy-MM-dd')
        Join-Path $script:folder 'fitbitps.db' | Should -Exist
    }

    It 'imports back with Import-Csv as the reader cmdlets give it' {
        $csv = Import-Csv (Join-Path $script:folder 'sleep-sessions.csv')
        $live = Get-FitbitSleep -From $script:from -To (Get-Date).Date.AddDays(-1)
        ($csv | Where-Object { [datetime]$_.Date -lt (Get-Date).Date }).Count | Should -Be $live.Count
    }

    It 'a second run reads only the last days and adds nothing' {
        $before = Get-FolderHash $script:folder
        $second = @(Export-FitbitData -Path $script:folder)
        $second.Count | Should -Be $script:dailyKinds.Count
        foreach ($r in $second) {
            $r.RowsAdded | Should -Be 0 -Because "$($r.Kind) had nothing new"
            $r.From | Should -BeGreaterThan (Get-Date).Date.AddDays(-6)
        }
        # Only today's partial activity may have grown since the first run (the emulator's clock runs).
        $changed = Compare-Object $before (Get-FolderHash $script:folder) | ForEach-Object { ($_.InputObject -split ' ')[0] } | Sort-Object -Unique
        # The store logs every read (and keeps its answers), so it changes with every run.
        $changed | Where-Object { $_ -notin 'activity.csv', 'sleep-stages.csv' -and $_ -notlike 'fitbitps.db*' } | Should -BeNullOrEmpty
    }

    It '-WhatIf writes nothing, neither into an existing folder nor a new one' {
        $before = Get-FolderHash $script:folder
        $out = Export-FitbitData -Path $script:folder -Full -WhatIf
        $out | Should -BeNullOrEmpty
        Get-FolderHash $script:folder | Should -Be $before

        $new = Join-Path $TestDrive 'not-yet'
        Export-FitbitData -Path $new -WhatIf | Should -BeNullOrEmpty
        $new | Should -Not -Exist
    }

    It 'JSON lines hold the same rows' {
        $json = Join-Path $TestDrive 'json'
        $r = Export-FitbitData -Path $json -DataType Activity -From $script:from -Format Json
        $r.File | Should -BeLike '*activity.jsonl'
        $lines = Get-Content $r.File
        $lines.Count | Should -Be $r.RowsTotal
        ($lines[0] | ConvertFrom-Json).Date | Should -Not -BeNullOrEmpty
    }

    It 'a path that is a file is a clear terminating error and the file is untouched' {
        $file = Join-Path $TestDrive 'a-file.txt'
        Set-Content -Path $file -Value 'mine'
        { Export-FitbitData -Path $file -DataType Weight -ErrorAction Stop } | Should -Throw -ErrorId 'FitbitExportInvalidPath*'
        Get-Content $file | Should -Be 'mine'
    }

    It 'resolves PowerShell paths (relative to the current location)' {
        Push-Location $TestDrive
        try {
            $r = Export-FitbitData -Path './relative' -DataType RestingHeartRate -From (Get-Date).Date.AddDays(-3)
            $r.File | Should -Be (Join-Path (Join-Path $TestDrive 'relative') 'resting-heart-rate.csv')
        }
        finally { Pop-Location }
    }
}

Describe 'Unattended use' {
    It 'pwsh -NonInteractive -File job.ps1 with no sign-in exits non-zero with the documented message' {
        $jobHome = Join-Path $TestDrive 'no-profiles'
        New-Item -ItemType Directory -Path $jobHome | Out-Null
        $target = Join-Path $TestDrive 'scheduled'
        $job = Join-Path $TestDrive 'job.ps1'
        # The job script README's "Scheduled export" section shows.
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($script:manifest)'
Export-FitbitData -Path '$target'
"@ | Set-Content -Path $job

        $saved = $env:FITBITPS_HOME
        try {
            $env:FITBITPS_HOME = $jobHome
            $output = Invoke-CurrentPwsh -NoProfile -NonInteractive -File $job 2>&1 | Out-String
            $exit = $LASTEXITCODE
        }
        finally { $env:FITBITPS_HOME = $saved }

        $exit | Should -Not -Be 0
        # The host may wrap the error message at its width: compare with whitespace collapsed.
        ($output -replace '\s+', ' ') | Should -Match "Profile 'default' is not signed in\. Run Connect-Fitbit -Profile default"
        $target | Should -Not -Exist
    }
}
