<#
.SYNOPSIS
    The same jobs with FitbitPS's cmdlets, in a fresh pwsh, for the benchmark's PowerShell scenario.
.DESCRIPTION
    -Mode Setup     signs profile 'bench' in (Plaintext cache in $env:FITBITPS_HOME) for the Import mode
    -Mode Year      Get-FitbitActivity, Get-FitbitSleep, Get-FitbitBodyWeight over -From..-To, one after another
    -Mode Pipeline  Get-FitbitHeartRate -Raw over -From..-To into Measure-Object: objects per second
    -Mode Csv       the same samples through | Export-Csv, and through Export-FitbitData -DataType HeartRateIntraday
    -Mode Import    Import-Module, then the first read (Get-FitbitSleep -Days 7 on the saved profile 'bench')
    Sign-in (Process cache, through FITBITPS_BROWSER) happens before any clock starts.
.OUTPUTS
    One JSON line.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Setup', 'Year', 'Pipeline', 'Csv', 'Import')] [string] $Mode,
    [Parameter(Mandatory)] [string] $Manifest,
    [string] $ClientSecretsFile,
    [datetime] $From,
    [datetime] $To,
    [string] $Folder
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if ($Mode -eq 'Import') {
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Import-Module $Manifest
    $import = $clock.Elapsed.TotalMilliseconds
    $clock.Restart()
    $sleep = @(Get-FitbitSleep -Profile bench -Days 7)
    $first = $clock.Elapsed.TotalMilliseconds
    [pscustomobject]@{ importMs = $import; firstReadMs = $first; records = $sleep.Count } | ConvertTo-Json -Compress
    return
}

Import-Module $Manifest
if ($Mode -eq 'Setup') {
    Connect-Fitbit -Profile bench -ClientSecretFile $ClientSecretsFile -TokenCache Plaintext -TimeoutSec 60 -WarningAction SilentlyContinue | Out-Null
    [pscustomobject]@{ ok = $true } | ConvertTo-Json -Compress
    return
}
Connect-Fitbit -ClientSecretFile $ClientSecretsFile -TokenCache Process -TimeoutSec 60 | Out-Null

switch ($Mode) {
    'Year' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $activity = @(Get-FitbitActivity -From $From -To $To)
        $sleep = @(Get-FitbitSleep -From $From -To $To)
        $weight = @(Get-FitbitBodyWeight -From $From -To $To)
        $clock.Stop()
        [pscustomobject]@{ seconds = $clock.Elapsed.TotalSeconds; activity = $activity.Count; sleep = $sleep.Count; weight = $weight.Count;
            steps = [long]($activity | Measure-Object Steps -Sum).Sum } | ConvertTo-Json -Compress
    }
    'Pipeline' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $count = (Get-FitbitHeartRate -Raw -From $From -To $To | Measure-Object).Count
        $clock.Stop()
        [pscustomobject]@{ objects = $count; seconds = $clock.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
    }
    'Csv' {
        # Wall time, and this process's CPU time: the emulator runs in the benchmark's own process, so the
        # CPU seconds here are the client's alone (reading, parsing, objects, formatting, writing).
        $me = [System.Diagnostics.Process]::GetCurrentProcess()
        $csv = Join-Path $Folder 'export-csv.csv'
        $clock = [System.Diagnostics.Stopwatch]::StartNew(); $me.Refresh(); $cpu = $me.TotalProcessorTime
        Get-FitbitHeartRate -Raw -From $From -To $To | Export-Csv -Path $csv -NoTypeInformation
        $pipeSeconds = $clock.Elapsed.TotalSeconds; $me.Refresh(); $pipeCpu = ($me.TotalProcessorTime - $cpu).TotalSeconds
        $clock.Restart(); $cpu = $me.TotalProcessorTime
        $result = Export-FitbitData -Path (Join-Path $Folder 'export') -DataType HeartRateIntraday -From $From -To $To
        $exportSeconds = $clock.Elapsed.TotalSeconds; $me.Refresh(); $exportCpu = ($me.TotalProcessorTime - $cpu).TotalSeconds
        $pipeRows = 0; $reader = [System.IO.File]::OpenText($csv); while ($null -ne $reader.ReadLine()) { $pipeRows++ }; $reader.Dispose()
        [pscustomobject]@{ exportCsvSeconds = $pipeSeconds; exportCsvRows = $pipeRows - 1; exportFitbitDataSeconds = $exportSeconds; exportFitbitDataRows = $result.RowsTotal;
            exportCsvCpuSeconds = $pipeCpu; exportFitbitDataCpuSeconds = $exportCpu;
            exportCsvBytes = (Get-Item $csv).Length; exportFitbitDataBytes = (Get-Item $result.File).Length } | ConvertTo-Json -Compress
    }
}
