#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every exported cmdlet in every parameter set, run for real against the emulator. The list of
# cmdlet/parameter-set pairs is read from the manifest: a new cmdlet or set without a case here fails.

BeforeDiscovery {
    # The cases: "<Cmdlet>/<ParameterSet>" → a run whose result must be what a person expects.
    $script:cases = [ordered]@{
        'Connect-Fitbit/Saved'                  = { $c = Connect-Fitbit; $c.Profile | Should -Be 'default'; $c.HealthUserId | Should -Not -BeNullOrEmpty }
        'Connect-Fitbit/ClientSecretFile'       = { $c = Connect-Fitbit -Profile cov-file -ClientSecretFile $script:emu.ClientSecretsFile -TokenCache Process -TimeoutSec 60; $c.TokenCacheKind | Should -Be 'Process'; $c.GrantedScopes | Should -Contain 'Activity' }
        'Connect-Fitbit/ClientId'               = {
            $json = (Get-Content $script:emu.ClientSecretsFile -Raw | ConvertFrom-Json).installed
            $c = Connect-Fitbit -Profile cov-id -ClientId $json.client_id -ClientSecret (ConvertTo-SecureString $json.client_secret -AsPlainText -Force) -EndpointUri $script:emu.BaseUrl -TokenCache Process -TimeoutSec 60
            $c.ClientId | Should -Be $json.client_id; $c.Endpoint | Should -Be $script:emu.BaseUrl }
        'Disconnect-Fitbit/__AllParameterSets'  = { Disconnect-Fitbit -Profile cov-file -Confirm:$false; (Get-FitbitContext -ListAvailable).Profile | Should -Not -Contain 'cov-file' }
        'Get-FitbitContext/__AllParameterSets'  = { (Get-FitbitContext).Status | Should -Be 'SignedIn'; (Get-FitbitContext -ListAvailable).Profile | Should -Contain 'default' }
        'Get-FitbitBodyWeight/__AllParameterSets' = { $w = Get-FitbitBodyWeight -Days 30; $w | Should -Not -BeNullOrEmpty; $w[0].WeightKg | Should -BeGreaterThan 30 }
        'Get-FitbitActivity/__AllParameterSets' = { $a = Get-FitbitActivity -Days 5; $a | Should -HaveCount 5; ($a | Measure-Object Steps -Sum).Sum | Should -BeGreaterThan 0 }
        'Get-FitbitSleep/__AllParameterSets'    = { $s = Get-FitbitSleep -Days 5; $s | Should -Not -BeNullOrEmpty; $s | ForEach-Object { $_.MinutesAsleep | Should -BeGreaterThan 0 } }
        'Get-FitbitSleepStage/__AllParameterSets' = { $s = Get-FitbitSleepStage -Days 2; $s | Should -Not -BeNullOrEmpty; $s.Stage | Should -Contain 'Deep' }
        'Get-FitbitHeartRate/Resting'           = { $r = Get-FitbitHeartRate -From (Get-Date).Date.AddDays(-6) -To (Get-Date).Date.AddDays(-2); $r | Should -HaveCount 5; $r[0].BeatsPerMinute | Should -BeGreaterThan 30 }
        'Get-FitbitHeartRate/Interval'          = { $d = (Get-Date).Date.AddDays(-2); $h = Get-FitbitHeartRate -From $d -To $d -Interval Hour; $h.Count | Should -BeGreaterOrEqual 23; $h | ForEach-Object { $_.MinBpm | Should -BeLessOrEqual $_.MaxBpm } }
        'Get-FitbitHeartRate/Raw'               = { $d = (Get-Date).Date.AddDays(-2); $r = Get-FitbitHeartRate -From $d -To $d -Raw; $r.Count | Should -BeGreaterThan 1000; $r[0].Time | Should -BeLessThan $r[-1].Time }
        'Get-FitbitHeartRateVariability/__AllParameterSets' = { $h = Get-FitbitHeartRateVariability -Days 5; $h | Should -Not -BeNullOrEmpty; $h[0].RmssdMilliseconds | Should -BeGreaterThan 0 }
        'Get-FitbitOxygenSaturation/__AllParameterSets' = { $o = Get-FitbitOxygenSaturation -Days 5; $o | Should -Not -BeNullOrEmpty; $o[0].AveragePercent | Should -BeGreaterThan 80 }
        'Get-FitbitBreathingRate/__AllParameterSets' = { $b = Get-FitbitBreathingRate -Days 5; $b | Should -Not -BeNullOrEmpty; $b[0].BreathsPerMinute | Should -BeGreaterThan 5 }
        'Get-FitbitSkinTemperature/__AllParameterSets' = { $t = Get-FitbitSkinTemperature -Days 5; $t | Should -Not -BeNullOrEmpty; $t[0].NightlyCelsius | Should -BeGreaterThan 25 }
        'Get-FitbitCardioFitness/__AllParameterSets' = { $c = Get-FitbitCardioFitness -Days 5; $c | Should -Not -BeNullOrEmpty; $c[0].Vo2Max | Should -BeGreaterThan 10 }
        'Get-FitbitExercise/__AllParameterSets' = { $e = Get-FitbitExercise -Days 30; $e | Should -Not -BeNullOrEmpty; $e[0].DurationMinutes | Should -BeGreaterThan 0 }
        'Get-FitbitData/__AllParameterSets'     = { $d = Get-FitbitData daily-resting-heart-rate -From (Get-Date).Date.AddDays(-4) -To (Get-Date).Date.AddDays(-2); $d | Should -HaveCount 3; $d[0].Type | Should -Be 'daily-resting-heart-rate' }
        'Export-FitbitData/Export'              = { $r = Export-FitbitData -Path (Join-Path $TestDrive 'cov') -DataType Sleep, Weight -From (Get-Date).Date.AddDays(-10); $r.Kind | Should -Be @('Weight', 'Sleep'); $r | ForEach-Object { $_.File | Should -Exist } }
        'Export-FitbitData/Reparse'             = { $r = Export-FitbitData -Path (Join-Path $TestDrive 'cov') -Reparse -DataType Sleep; $r.Kind | Should -Be 'Sleep'; $r.RowsTotal | Should -BeGreaterThan 5; $r.Requests | Should -Be 0 }
        'Import-FitbitTakeout/Read'             = {
            $zip = Save-EmulatorTakeout $script:emu (Join-Path $TestDrive 'cov-takeout.zip')
            $r = Import-FitbitTakeout $zip -DataType Activity, Weight -From (Get-Date).Date.AddDays(-10)
            ($r | Where-Object { $_.GetType().Name -eq 'ActivityDay' }).Count | Should -BeGreaterOrEqual 9; ($r | Measure-Object Steps -Sum).Sum | Should -BeGreaterThan 0 }
        'Import-FitbitTakeout/Destination'      = {
            $zip = Save-EmulatorTakeout $script:emu (Join-Path $TestDrive 'cov-takeout.zip') -From (Get-Date).Date.AddDays(-40)
            $r = Import-FitbitTakeout $zip -DataType Sleep -Destination (Join-Path $TestDrive 'cov-takeout')
            $r.Kind | Should -Be 'Sleep'; $r.RowsAdded | Should -BeGreaterThan 20; $r.File | Should -Exist }
        'Invoke-FitbitQuery/__AllParameterSets' = { $q = Invoke-FitbitQuery (Join-Path $TestDrive 'cov') 'SELECT count(*) AS Nights FROM sleep_nightly WHERE Date >= @d' -Parameter @{ d = (Get-Date).Date.AddDays(-10) }; $q.Nights | Should -BeGreaterThan 5 }
        'Export-FitbitReport/__AllParameterSets' = { $r = Export-FitbitReport (Join-Path $TestDrive 'cov'); $r.Path | Should -Exist; $r.Charts['sleep'] | Should -BeGreaterThan 5; $r.Empty | Should -Contain 'steps' }
    }
    $script:caseList = foreach ($k in $script:cases.Keys) { @{ Key = $k; Run = $script:cases[$k] } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
}

AfterAll { Complete-SignedInSession $script:emu }

Describe 'Every exported cmdlet and parameter set' {
    It 'has a case for every cmdlet/parameter-set pair the manifest exports' {
        $manifest = Test-ModuleManifest (Get-BuiltManifest)
        $pairs = foreach ($name in $manifest.ExportedCmdlets.Keys) {
            foreach ($set in (Get-Command $name).ParameterSets) { "$name/$($set.Name)" }
        }
        @($pairs | Sort-Object) | Should -Be @($Keys | Sort-Object)
    } -ForEach @(@{ Keys = @($caseList.Key) })

    It '<Key>' -ForEach $caseList {
        & $Run
    }
}
