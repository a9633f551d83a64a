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

    It 'ends <Name> within 1 s, with no error record' -ForEach @(
        @{ Name = 'a reader waiting out a 30-second Retry-After'; Script = 'Get-FitbitSleep -Days 30'; Path = '/sleep/'; Settle = 300
           Fault = @{ Kind = 'Unavailable'; Count = 50; PathContains = '/sleep/'; RetryAfterSeconds = 30 } }
        # Each page takes a while to come, so the read is still going when it is stopped.
        @{ Name = 'a reader in the middle of streaming a month of raw heart rate'; Script = 'Get-FitbitHeartRate -Raw -Days 30 | Out-Null'; Path = '/heart-rate/'; Settle = 600
           Fault = @{ Kind = 'Latency'; Count = 50; PathContains = '/heart-rate/'; LatencyMs = 400 } }
        @{ Name = 'Export-FitbitData waiting out a 30-second Retry-After'; Path = '/sleep/'; Settle = 300; File = 'sleep-sessions.csv'
           Script = "Export-FitbitData -Path '<folder>' -DataType Sleep -From (Get-Date).Date.AddDays(-30)"
           Fault = @{ Kind = 'Unavailable'; Count = 50; PathContains = '/sleep/'; RetryAfterSeconds = 30 } }
    ) {
        $folder = Join-Path $TestDrive ('stopped-' + [guid]::NewGuid())
        Add-EmulatorFault $script:emu @Fault
        $r = Measure-Stop $Script.Replace('<folder>', $folder) $Path -SettleMs $Settle
        Write-Host "    Stop() took $($r.StopMs) ms"
        $r.Running | Should -Be 'Running'
        $r.StopMs | Should -BeLessThan 1000
        $r.State | Should -Be 'Stopped'
        $r.Errors | Should -BeNullOrEmpty
        if ($File) { Join-Path $folder $File | Should -Not -Exist } # nothing half-written
    }
}

Describe 'Runspaces' {
    It 'a closed runspace (a job, ForEach-Object -Parallel) leaves no connection of its own behind' {
        # The registry is internal: read it the way a memory profiler would see it.
        $registry = (Get-Command Get-FitbitSleep).ImplementingType.Assembly.GetType('FitbitPS.Hosting.ConnectionRegistry', $true)
        $connections = $registry.GetField('Connections', [Reflection.BindingFlags] 'NonPublic, Static').GetValue($null)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-BuiltManifest)'; Get-FitbitSleep -Days 2 | Out-Null; [runspace]::DefaultRunspace.InstanceId")
            $id = $ps.Invoke()[0]
            $ps.Streams.Error | Should -BeNullOrEmpty
            @($connections.Keys -like "$id|*") | Should -HaveCount 1
            $ps.Runspace.Close()
        }
        finally { $ps.Dispose() }
        @($connections.Keys -like "$id|*") | Should -HaveCount 0
    }
}
