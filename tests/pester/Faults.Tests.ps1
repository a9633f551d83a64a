#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Faults as a person at the prompt meets them (issue 11): one clear error instead of one per chunk, no data lost
# or left readable by others, no waiting on a dead network. The engine side of each is in tests/FitbitPS.Tests/Faults.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive

    # Runs a command; returns its error records (non-terminating ones and the one that ended it, if any).
    function Invoke-Collecting([scriptblock] $Command) {
        $errs = [System.Collections.Generic.List[object]]::new()
        $ended = $false
        try { & $Command 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $errs.Add($_) } } }
        catch { $ended = $true; $errs.Add($_) }
        [pscustomobject]@{ Errors = $errs.ToArray(); Ended = $ended }
    }
}

AfterAll {
    Complete-SignedInSession $script:emu
}

Describe 'A list answer of the wrong shape' {
    It 'fails the export of that kind, writes nothing for it, and the next run has every row' {
        $path = Join-Path $TestDrive 'oops'
        Add-EmulatorFault -Emulator $script:emu -Kind Respond -Count 1000 -PathContains '/dataTypes/weight/dataPoints' -Status 200 -Body '{"dataPoints":"oops"}'
        $run = Invoke-Collecting { Export-FitbitData -Path $path -DataType Weight -From (Get-Date).AddDays(-364) }
        Clear-EmulatorFaults -Emulator $script:emu
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].Exception.Message | Should -Match 'malformed answer'
        Join-Path $path 'weight.csv' | Should -Not -Exist

        $result = Export-FitbitData -Path $path -DataType Weight -From (Get-Date).AddDays(-364)
        $expected = @(Get-FitbitBodyWeight -Days 365).Count
        $expected | Should -BeGreaterThan 20
        $result.RowsTotal | Should -Be $expected
        @(Import-Csv (Join-Path $path 'weight.csv')).Count | Should -Be $expected
    }
}

Describe 'Export folder' {
    It 'a new folder is private (0700) and so is every file in it (0600)' -Skip:$IsWindows {
        $path = Join-Path $TestDrive 'private'
        Export-FitbitData -Path $path -DataType Weight, Sleep -From (Get-Date).AddDays(-29) | Out-Null
        [System.IO.File]::GetUnixFileMode($path) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $files = Get-ChildItem -Path $path -Force -File
        $files.Name | Should -Contain 'weight.csv'
        foreach ($f in $files) { [System.IO.File]::GetUnixFileMode($f.FullName) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') -Because $f.Name }
    }

    It 'a profile whose store holds another account''s data is refused with FitbitExportAccountMismatch and left as it was' {
        $path = Join-Path $TestDrive 'someone-else'
        Export-FitbitData -Path $path -DataType Weight -From (Get-Date).AddDays(-29) | Out-Null
        # As if another Google account had exported under this profile: the store says whose data it holds.
        $alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'FitbitPS'
        $sqlite = $alc.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite'))
        $connection = [Activator]::CreateInstance($sqlite.GetType('Microsoft.Data.Sqlite.SqliteConnection', $true), @("Data Source=$(Join-Path $path 'fitbitps.db');Pooling=False"))
        try {
            $connection.Open()
            $command = $connection.CreateCommand()
            $command.CommandText = "UPDATE profiles SET health_user_id = 'another-person'"
            $command.ExecuteNonQuery() | Should -Be 1
        }
        finally { $connection.Dispose() }
        $before = Get-FileHash (Get-ChildItem $path -File).FullName
        $e = $null
        try { Export-FitbitData -Path $path -DataType Weight -From (Get-Date).AddDays(-29) -ErrorAction Stop | Out-Null } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'FitbitExportAccountMismatch,*'
        $e.Exception.Message | Should -Match 'another Google account'
        $e.ErrorDetails.RecommendedAction | Should -Match '-Profile'
        (Get-FileHash (Get-ChildItem $path -File).FullName).Hash | Should -Be $before.Hash
    }
}

Describe 'Access withdrawn at Google' {
    It 'ends a five-year read with one FitbitAccessDenied that names the way back' {
        Add-EmulatorFault -Emulator $script:emu -Kind PermissionDenied -Count 100000
        $run = Invoke-Collecting { Get-FitbitActivity -Days 1800 }
        Clear-EmulatorFaults -Emulator $script:emu
        $run.Ended | Should -BeTrue
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FitbitAccessDenied,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'myaccount.google.com/connections'
    }
}

Describe 'A grant revoked during a long read' {
    It 'ends Get-FitbitActivity with one FitbitRefreshTokenRejected that says to sign in again' {
        Add-EmulatorFault -Emulator $script:emu -Kind RevokedToken -Count 1
        $run = Invoke-Collecting { Get-FitbitActivity -Days 1800 }
        $run.Ended | Should -BeTrue
        $run.Errors | Should -HaveCount 1          # was one FitbitChunkFailed per chunk and data type (57 for a year)
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FitbitRefreshTokenRejected,*'
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Connect-Fitbit'
        # Sign in again for what follows.
        Connect-Fitbit -Force -ClientSecretFile $script:emu.ClientSecretsFile -TokenCache Process -TimeoutSec 60 | Out-Null
    }
}

Describe 'Google unreachable' {
    It 'ends a read after a few seconds with one FitbitGoogleUnreachable' {
        Get-FitbitSleep -Days 1 | Out-Null   # the session has a fresh access token: no sign-in is needed below
        Stop-TestEmulator $script:emu
        $elapsed = Measure-Command {
            $script:run = Invoke-Collecting { Get-FitbitSleep -Days 7 }
        }
        $script:run.Errors | Should -HaveCount 1
        $script:run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FitbitGoogleUnreachable,*'
        $script:run.Errors[0].Exception.Message | Should -Match 'Google is unreachable'
        $script:run.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'network'
        # Four refused connections and three short waits (0.5 + 1 + 2 s at most), not 7 attempts over 45 s.
        $elapsed.TotalSeconds | Should -BeLessThan 20
    }
}
