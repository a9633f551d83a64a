#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# -Verbose and -Debug tell what a person debugging a failure needs (requests, waits, retries, refreshes),
# and no stream ever carries a token or the client secret.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
    $script:secret = (Get-Content $script:emu.ClientSecretsFile -Raw | ConvertFrom-Json).installed.client_secret
    $script:day = (Get-Date).Date.AddDays(-3)

    # Runs a command with -Verbose -Debug and returns every record of every stream, as text.
    function Get-AllStreams([scriptblock] $Command) {
        $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'; $InformationPreference = 'Continue'
        & $Command *>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ProgressRecord]) { return }
            if ($_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + $_.Message }
            elseif ($_ -is [System.Management.Automation.DebugRecord]) { 'DEBUG: ' + $_.Message }
            elseif ($_ -is [System.Management.Automation.WarningRecord]) { 'WARNING: ' + $_.Message }
            elseif ($_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR: ' + $_.ToString() + ' ' + $_.ErrorDetails.RecommendedAction }
            elseif ($_ -is [System.Management.Automation.InformationRecord]) { 'INFO: ' + $_.MessageData }
            else { 'OUTPUT: ' + ($_ | Out-String) }
        }
    }
}

AfterAll { Complete-SignedInSession $script:emu }

Describe '-Debug' {
    It 'never prompts: -Debug alone writes the verbose lines as debug lines too' {
        # A saved profile another process can open; -NonInteractive turns any prompt into a failure.
        $env:FITBITPS_CACHE_PASSPHRASE = 'pester streams'
        try {
            Connect-Fitbit -Profile debugcheck -ClientSecretFile $script:emu.ClientSecretsFile -TokenCache Passphrase -TimeoutSec 60 | Out-Null
            $out = Invoke-CurrentPwsh -NoProfile -NonInteractive -Command "Import-Module '$(Get-BuiltManifest)'; Get-FitbitSleep -Profile debugcheck -Days 2 -Debug 5>&1 4>&1 | ForEach-Object { `$_.GetType().Name + ': ' + `$_ }" 2>&1
        }
        finally { Disconnect-Fitbit -Profile debugcheck -Confirm:$false; Remove-Item Env:FITBITPS_CACHE_PASSPHRASE }
        $text = $out -join "`n"
        $text | Should -Not -Match 'Confirm|Continue with this operation'
        $text | Should -Match 'DebugRecord: Reading sleep: '
        $text | Should -Match 'DebugRecord: GET /v4/users/me/dataTypes/sleep/dataPoints'
    }

    It 'writes one line per HTTP request: method, path with the filter, status, time and size' {
        Clear-EmulatorRequests $script:emu
        $lines = Get-AllStreams { Get-FitbitActivity -From $script:day -To $script:day }
        $requests = @($lines | Where-Object { $_ -like 'DEBUG: *' -and $_ -match ' -> \d{3} ' })
        $requests.Count | Should -Be (Get-EmulatorRequestCount $script:emu -PathContains '/v4/')
        $requests | Should -Not -BeNullOrEmpty
        $requests[0] | Should -Match '^DEBUG: POST /v4/users/me/dataTypes/[a-z-]+/dataPoints:dailyRollUp \{.*"windowSizeDays":1.*\} -> 200 OK in \d+ ms, [\d,.]+ bytes\.$'
    }
}

Describe '-Verbose' {
    AfterEach { Clear-EmulatorFaults $script:emu }

    It 'says what is read, for whom, and how many requests it took' {
        $lines = Get-AllStreams { Get-FitbitSleep -Days 3 -Verbose }
        $lines | Should -Contain "VERBOSE: Reading sleep: $($script:day.AddDays(1).ToString('yyyy-MM-dd'))..$((Get-Date).ToString('yyyy-MM-dd')) (3 days) for profile 'default'."
        Clear-EmulatorRequests $script:emu
        $lines = Get-AllStreams { Get-FitbitSleep -Days 3 -Verbose }
        $summary = @($lines -match '^VERBOSE: Reading sleep: (\d+) request\(s\), (\d+) record\(s\)\.$')
        $summary | Should -HaveCount 1
        [int]($summary[0] -replace '^VERBOSE: Reading sleep: (\d+) request.*$', '$1') | Should -Be (Get-EmulatorRequestCount $script:emu -PathContains '/sleep/')
    }

    It 'shows the token refresh during a read' {
        Invoke-EmulatorTokenExpiry $script:emu
        $lines = Get-AllStreams { Get-FitbitSleep -Days 3 -Verbose }
        ($lines -like "VERBOSE: Profile 'default': refreshing the access token at *") | Should -HaveCount 1
        ($lines -like 'OUTPUT: *') | Should -Not -BeNullOrEmpty
    }

    It 'shows the token refresh in the middle of a long read' {
        # The first raw heart-rate page is answered (slowly), the next one finds its access token expired.
        Add-EmulatorFault $script:emu -Kind Latency -Count 1 -PathContains '/heart-rate/' -LatencyMs 300
        Add-EmulatorFault $script:emu -Kind ExpiredAccessToken -Count 1 -PathContains '/heart-rate/'
        $lines = @(Get-AllStreams { Get-FitbitHeartRate -Raw -Days 3 -Verbose | Measure-Object | ForEach-Object Count })
        $refresh = @($lines | Where-Object { $_ -like "VERBOSE: Profile 'default': refreshing the access token at *" })
        $refresh | Should -HaveCount 1
        $firstPage = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l -match '^DEBUG: GET /v4/users/me/dataTypes/heart-rate/dataPoints.* -> 200 ' })
        $firstPage | Should -BeGreaterOrEqual 0
        $firstPage | Should -BeLessThan ([array]::IndexOf([string[]] $lines, $refresh[0]))
        [int](@($lines -like 'OUTPUT: *')[0] -replace '\D', '') | Should -BeGreaterThan 1000 # every sample still came
    }

    It 'shows every retry with its reason and wait' {
        Add-EmulatorFault $script:emu -Kind Unavailable -Count 2 -PathContains '/sleep/' -RetryAfterSeconds 1
        $lines = Get-AllStreams { Get-FitbitSleep -Days 3 -Verbose }
        $retries = @($lines -like 'VERBOSE: Waiting * before retry * of sleep list: 503 UNAVAILABLE.')
        $retries | Should -HaveCount 2
        $retries[1] | Should -Match 'retry 2 of'
    }
}

Describe 'Secrets' {
    It 'no stream of any cmdlet carries an access token, a refresh token or the client secret' {
        Invoke-EmulatorTokenExpiry $script:emu
        Add-EmulatorFault $script:emu -Kind ExpiredAccessToken -Count 1
        $all = @()
        $all += Get-AllStreams { Connect-Fitbit }
        $all += Get-AllStreams { Get-FitbitContext; Get-FitbitContext -ListAvailable | Format-List * | Out-String }
        $all += Get-AllStreams { Get-FitbitSleep -Days 2 }
        $all += Get-AllStreams { Export-FitbitData -Path (Join-Path $TestDrive 'leak') -DataType Weight -From $script:day }
        $all += Get-AllStreams { try { Get-FitbitSleep -From 2026-11-05 -To 2026-11-01 -ErrorAction Stop } catch { $_ } }
        $text = $all -join "`n"
        $text | Should -Match 'DEBUG: GET /v4/'   # the capture did see the requests
        $text | Should -Not -Match 'ya29\.'
        $text | Should -Not -Match '1//0'
        $text | Should -Not -Match ([regex]::Escape($script:secret))
        $text | Should -Not -Match '(?i)bearer [a-z0-9]'
    }
}
