<#
.SYNOPSIS
    The script a PowerShell user writes without FitbitPS: a plain Invoke-RestMethod loop, one day at a
    time, for a year of activity, sleep and weight. The benchmark runs it for a few days against the
    emulator (same latency and quota as the cmdlets) and extrapolates the year.
    With -RawHeartRate it reads the raw heart-rate samples of the days instead (one filter, every page) and
    sends them into Measure-Object: the objects-per-second baseline of the pipeline row.
.OUTPUTS
    One JSON line: days, requests, seconds, steps (a checksum of what it read); with -RawHeartRate, objects.
#>
param(
    [Parameter(Mandatory)] [string] $BaseUrl,
    [Parameter(Mandatory)] [string] $AccessToken,
    [Parameter(Mandatory)] [datetime] $From,
    [Parameter(Mandatory)] [int] $Days,
    [switch] $RawHeartRate
)
$ErrorActionPreference = 'Stop'
$headers = @{ Authorization = "Bearer $AccessToken" }
$requests = 0
$steps = 0

# Every page of a list, following nextPageToken like the documentation shows.
function Get-AllPoints([string] $Type, [string] $Filter, [int] $PageSize) {
    $token = $null
    do {
        $uri = "$($BaseUrl)v4/users/me/dataTypes/$Type/dataPoints?pageSize=$PageSize&filter=$([uri]::EscapeDataString($Filter))"
        if ($token) { $uri += "&pageToken=$([uri]::EscapeDataString($token))" }
        $page = Invoke-RestMethod -Uri $uri -Headers $headers -MaximumRetryCount 5 -RetryIntervalSec 2
        $script:requests++
        if ($page.PSObject.Properties['dataPoints']) { $page.dataPoints }
        $token = if ($page.PSObject.Properties['nextPageToken']) { $page.nextPageToken } else { $null }
    } while ($token)
}

if ($RawHeartRate) {
    $f = $From.Date.ToString('yyyy-MM-dd'); $t = $From.Date.AddDays($Days).ToString('yyyy-MM-dd')
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $count = (Get-AllPoints 'heart-rate' "heart_rate.sample_time.physical_time >= `"$($f)T00:00:00Z`" AND heart_rate.sample_time.physical_time < `"$($t)T00:00:00Z`"" 10000 | Measure-Object).Count
    $clock.Stop()
    [pscustomobject]@{ days = $Days; requests = $requests; seconds = $clock.Elapsed.TotalSeconds; objects = $count } | ConvertTo-Json -Compress
    return
}

$clock = [System.Diagnostics.Stopwatch]::StartNew()
$rows = foreach ($i in 0..($Days - 1)) {
    $day = $From.Date.AddDays($i)
    $d = $day.ToString('yyyy-MM-dd'); $next = $day.AddDays(1).ToString('yyyy-MM-dd')
    # Activity: the minute points of the day, summed (steps and distance), and the day's calories roll-up.
    $s = (Get-AllPoints 'steps' "steps.interval.civil_start_time >= `"$($d)T00:00:00`" AND steps.interval.civil_start_time < `"$($next)T00:00:00`"" 10000 |
        ForEach-Object { [long]$_.steps.count } | Measure-Object -Sum).Sum
    $m = (Get-AllPoints 'distance' "distance.interval.civil_start_time >= `"$($d)T00:00:00`" AND distance.interval.civil_start_time < `"$($next)T00:00:00`"" 10000 |
        ForEach-Object { [double]$_.distance.millimeters } | Measure-Object -Sum).Sum
    $body = @{ range = @{ start = @{ date = @{ year = $day.Year; month = $day.Month; day = $day.Day } }; end = @{ date = @{ year = $day.AddDays(1).Year; month = $day.AddDays(1).Month; day = $day.AddDays(1).Day } } }; windowSizeDays = 1 } | ConvertTo-Json -Depth 6
    $cal = Invoke-RestMethod -Method Post -Uri "$($BaseUrl)v4/users/me/dataTypes/total-calories/dataPoints:dailyRollUp" -Headers $headers -Body $body -ContentType 'application/json' -MaximumRetryCount 5 -RetryIntervalSec 2
    $script:requests++
    # Sleep and weight of the day.
    $sleep = @(Get-AllPoints 'sleep' "sleep.interval.civil_end_time >= `"$($d)T00:00:00`" AND sleep.interval.civil_end_time < `"$($next)T00:00:00`"" 25)
    $weight = @(Get-AllPoints 'weight' "weight.sample_time.civil_time >= `"$($d)T00:00:00`" AND weight.sample_time.civil_time < `"$($next)T00:00:00`"" 10000)
    $steps += $s
    [pscustomobject]@{ Date = $day; Steps = $s; DistanceMeters = $m / 1000; Calories = $cal.rollupDataPoints.totalCalories.kcalSum; Sleeps = $sleep.Count; WeighIns = $weight.Count }
}
$clock.Stop()
[pscustomobject]@{ days = $Days; requests = $requests; seconds = $clock.Elapsed.TotalSeconds; steps = [long]$steps; rows = @($rows).Count } | ConvertTo-Json -Compress
