#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Ctrl+C (PowerShell.Stop()) ends a running read or export at once, the same way for every cmdlet: the pipeline
# is stopped, no error record is written, and nothing keeps running behind it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive

    # Starts $Script in another runspace of this process (the same signed-in Process cache), waits until Google has
    # seen a request on $PathContains, lets the command go on for a moment, then stops it and measures how long
    # Stop() took.
    function Measure-Stop([string] $Script, [string] $PathContains, [int] $SettleMs = 300) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-BuiltManifest)'; $Script")
            $null = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-EmulatorRequestCount $script:emu -PathContains $PathContains) -lt 1 -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            Start-Sleep -Milliseconds $SettleMs
            $running = $ps.InvocationStateInfo.State
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            [pscustomobject]@{
                Running = $running; StopMs = $watch.ElapsedMilliseconds; State = $ps.InvocationStateInfo.State
                Errors = @($ps.Streams.Error | ForEach-Object { $_.FullyQualifiedErrorId })
            }
        }
        finally { $ps.Dispose() }
    }
}

AfterAll { Complete-SignedInSession $script:emu }

Describe 'Stop() (Ctrl+C)' {
    BeforeEach { Clear-EmulatorRequests $script:emu }
    AfterEach { Clear-EmulatorFaults $script:emu }

    It 'ends a reader waiting out a 30-second Retry-After within 1 s, with no error record' {
        Add-EmulatorFault $script:emu -Kind Unavailable -Count 50 -PathContains '/sleep/' -RetryAfterSeconds 30
        $r = Measure-Stop 'Get-FitbitSleep -Days 30' '/sleep/'
        $r.Running | Should -Be 'Running'
        $r.StopMs | Should -BeLessThan 1000
        $r.State | Should -Be 'Stopped'
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'ends a reader in the middle of streaming a month of raw heart rate within 1 s, with no error record' {
        # Each page takes a while to come, so the read is still going when it is stopped.
        Add-EmulatorFault $script:emu -Kind Latency -Count 50 -PathContains '/heart-rate/' -LatencyMs 400
        $r = Measure-Stop 'Get-FitbitHeartRate -Raw -Days 30 | Out-Null' '/heart-rate/' -SettleMs 600
        $r.Running | Should -Be 'Running'
        $r.StopMs | Should -BeLessThan 1000
        $r.State | Should -Be 'Stopped'
        $r.Errors | Should -BeNullOrEmpty
    }

    It 'ends Export-FitbitData waiting out a 30-second Retry-After within 1 s, with no error record and no file' {
        $folder = Join-Path $TestDrive 'stopped-export'
        Add-EmulatorFault $script:emu -Kind Unavailable -Count 50 -PathContains '/sleep/' -RetryAfterSeconds 30
        $r = Measure-Stop "Export-FitbitData -Path '$folder' -DataType Sleep -From (Get-Date).Date.AddDays(-30)" '/sleep/'
        $r.Running | Should -Be 'Running'
        $r.StopMs | Should -BeLessThan 1000
        $r.State | Should -Be 'Stopped'
        $r.Errors | Should -BeNullOrEmpty
        Join-Path $folder 'sleep-sessions.csv' | Should -Not -Exist
    }
}
