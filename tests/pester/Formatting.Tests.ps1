#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Default views: every table fits 120 columns with whole headers; Format-List shows every property.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emu = Initialize-SignedInSession -Folder $TestDrive
    $script:day = (Get-Date).Date.AddDays(-3)

    # Renders objects as a table at a given width and returns the lines.
    function Get-TableLines($Objects, [int] $Width = 120) {
        ($Objects | Format-Table | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() }
    }
}

AfterAll { Complete-SignedInSession $script:emu }

Describe 'Table views' {
    It 'every table view in the format file has fixed widths that fit 120 columns' {
        $types = ([xml](Get-Content (Join-Path (Split-Path (Get-BuiltManifest)) 'FitbitPS.format.ps1xml') -Raw)).Configuration.ViewDefinitions.View
        $types.Count | Should -BeGreaterOrEqual 17
        foreach ($view in $types) {
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $fixed = @($headers | Select-Object -SkipLast 1)
            $fixed | ForEach-Object { $_.Width | Should -Not -BeNullOrEmpty -Because "$($view.Name): $($_.Label) needs a width" }
            $fixed | ForEach-Object { [int]$_.Width | Should -BeGreaterOrEqual $_.Label.Length -Because "$($view.Name): $($_.Label) must not wrap" }
            $sum = ($fixed | ForEach-Object { [int]$_.Width } | Measure-Object -Sum).Sum + ($headers.Count - 1)
            $last = $headers[-1]
            $sum + [math]::Max($last.Label.Length, [int]("0" + $last.Width)) | Should -BeLessOrEqual 120 -Because $view.Name
        }
    }

    It '<Name> prints one header line within 120 columns' -ForEach @(
        @{ Name = 'Get-FitbitActivity'; Read = { Get-FitbitActivity -From $script:day -To $script:day } }
        @{ Name = 'Get-FitbitActivity -Interval Hour'; Read = { Get-FitbitActivity -From $script:day -To $script:day -Interval Hour } }
        @{ Name = 'Get-FitbitSleep'; Read = { Get-FitbitSleep -Days 7 } }
        @{ Name = 'Get-FitbitSleepStage'; Read = { Get-FitbitSleepStage -Days 2 } }
        @{ Name = 'Get-FitbitBodyWeight'; Read = { Get-FitbitBodyWeight -Days 30 } }
        @{ Name = 'Get-FitbitHeartRate'; Read = { Get-FitbitHeartRate -Days 7 } }
        @{ Name = 'Get-FitbitHeartRate -Interval Hour'; Read = { Get-FitbitHeartRate -From $script:day -To $script:day -Interval Hour } }
        @{ Name = 'Get-FitbitHeartRate -Raw'; Read = { Get-FitbitHeartRate -From $script:day -To $script:day -Raw | Select-Object -First 20 } }
        @{ Name = 'Get-FitbitHeartRateVariability'; Read = { Get-FitbitHeartRateVariability -Days 7 } }
        @{ Name = 'Get-FitbitOxygenSaturation'; Read = { Get-FitbitOxygenSaturation -Days 7 } }
        @{ Name = 'Get-FitbitBreathingRate'; Read = { Get-FitbitBreathingRate -Days 7 } }
        @{ Name = 'Get-FitbitSkinTemperature'; Read = { Get-FitbitSkinTemperature -Days 7 } }
        @{ Name = 'Get-FitbitCardioFitness'; Read = { Get-FitbitCardioFitness -Days 7 } }
        @{ Name = 'Get-FitbitExercise'; Read = { Get-FitbitExercise -Days 30 } }
        @{ Name = 'Get-FitbitData'; Read = { Get-FitbitData steps -Days 3 -Method DailyRollUp } }
        @{ Name = 'Get-FitbitContext -ListAvailable'; Read = { Get-FitbitContext -ListAvailable } }
    ) {
        $objects = @(& $Read)
        $objects | Should -Not -BeNullOrEmpty
        $lines = Get-TableLines $objects 120
        $dash = [array]::IndexOf($lines, ($lines | Where-Object { $_ -match '^-+( +-+)*\s*$' } | Select-Object -First 1))
        $dash | Should -Be 1 -Because 'the header is one line (a label that wraps makes it two or more)'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
        # every label of the view is in the one header line, whole
        $labels = ($lines[1] -split '\s+' | Where-Object { $_ }).Count
        ($lines[0] -split '\s+' | Where-Object { $_ }).Count | Should -Be $labels
    }

    It 'Format-List shows every property of a record' {
        $rec = @(Get-FitbitActivity -From $script:day -To $script:day)[0]
        $text = $rec | Format-List | Out-String -Width 200
        foreach ($p in $rec.PSObject.Properties.Name) { $text | Should -Match "(?m)^$p\s+:" }
    }
}

Describe 'Export-FitbitData result' {
    It 'shows every file name whole in an 80-column console' {
        $results = Export-FitbitData -Path (Join-Path $TestDrive 'export') -From $script:day
        $lines = Get-TableLines $results 80
        foreach ($r in $results) {
            $leaf = Split-Path -Leaf $r.File
            ($lines | Where-Object { $_ -match "^$($r.Kind)\s" }) | Should -Match ([regex]::Escape($leaf) + '\s*$')
        }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Get-FitbitContext -ListAvailable' {
    It 'fills the fields of a saved profile: account, scopes, status' {
        $c = Get-FitbitContext -ListAvailable | Where-Object Profile -eq 'default'
        $c.HealthUserId | Should -Not -BeNullOrEmpty
        $c.GrantedScopes | Should -Contain 'Sleep'
        $c.Status | Should -Be 'SignedIn'
        $c.Endpoint | Should -Be $script:emu.BaseUrl
        ($c | Format-Table | Out-String) | Should -Match 'default\s+SignedIn\s+Process\s+\d+\s+Activity'
    }
}
