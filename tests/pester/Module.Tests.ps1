#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The built module folder (out/FitbitPS) is what a person imports: its manifest must be valid and
# must export exactly the cmdlets the assembly has, with the format file loaded.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:manifestPath = Join-Path $repo 'out/FitbitPS/FitbitPS.psd1'
    if (-not (Test-Path $script:manifestPath)) { throw "Build first: $script:manifestPath is missing (dotnet build FitbitPS.sln)." }
    $script:manifest = Test-ModuleManifest -Path $script:manifestPath -ErrorAction Stop
    $script:module = Import-Module $script:manifestPath -Force -PassThru
}

Describe 'FitbitPS module manifest' {
    It 'is a valid manifest with a real version (not the template placeholder)' {
        $script:manifest.Version | Should -BeGreaterThan ([version]'0.0')
        Get-Content $script:manifestPath -Raw | Should -Not -Match '\{\{ModuleVersion\}\}'
    }

    It 'runs on Windows PowerShell 5.1 and PowerShell 7' {
        $script:manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $script:manifest.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'has the cmdlet assembly as root module and every file it names' {
        $folder = Split-Path $script:manifestPath
        $script:manifest.RootModule | Should -Be 'FitbitPS.dll'
        Join-Path $folder 'FitbitPS.dll' | Should -Exist
        Join-Path $folder 'FitbitPS.Engine.dll' | Should -Exist
        Join-Path $folder 'FitbitPS.format.ps1xml' | Should -Exist
        Join-Path $folder 'System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'exports exactly the cmdlets the assembly defines, and no functions, variables or aliases' {
        $declared = @($script:manifest.ExportedCmdlets.Keys | Sort-Object)
        $types = [System.Reflection.Assembly]::LoadFrom((Join-Path (Split-Path $script:manifestPath) 'FitbitPS.dll')).GetExportedTypes() |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" } |
            Sort-Object
        $declared | Should -Be @($types)
        @(Get-Command -Module FitbitPS -CommandType Cmdlet | ForEach-Object Name | Sort-Object) | Should -Be $declared
        $script:manifest.ExportedFunctions.Count | Should -Be 0
        $script:manifest.ExportedAliases.Count | Should -Be 0
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        Get-Command -Module FitbitPS | ForEach-Object { $_.Verb | Should -BeIn $approved }
    }

    It 'Export-FitbitData supports -WhatIf/-Confirm and has the documented parameters' {
        $cmd = Get-Command Export-FitbitData
        $cmd.Parameters.Keys | Should -Contain 'WhatIf'
        foreach ($p in 'Path', 'DataType', 'From', 'To', 'Format', 'Profile', 'Full', 'IncludeIntraday') { $cmd.Parameters.Keys | Should -Contain $p }
        $cmd.Parameters['Path'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
    }

    It 'has Get-Help for Connect-Fitbit: synopsis, examples and described parameters (en-US/FitbitPS.dll-Help.xml)' {
        Join-Path (Split-Path $script:manifestPath) 'en-US/FitbitPS.dll-Help.xml' | Should -Exist
        $help = Get-Help Connect-Fitbit -Full
        # Without a help file Get-Help falls back to the syntax as the synopsis and has no examples.
        $help.Synopsis | Should -Match '^Signs a profile in to Google'
        @($help.examples.example | Where-Object code).Count | Should -BeGreaterOrEqual 1
        @($help.examples.example | Where-Object code)[0].code | Should -Match 'Connect-Fitbit -ClientSecretFile'
        ($help.parameters.parameter | Where-Object name -eq 'NoBrowser').description.Text | Should -Not -BeNullOrEmpty
    }

    It 'has a synopsis and at least one example for every exported cmdlet' {
        foreach ($name in $script:manifest.ExportedCmdlets.Keys) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -Match "^\s*$name\s" -Because "$name needs a synopsis, not its syntax"
            @($help.examples.example | Where-Object code).Count | Should -BeGreaterOrEqual 1 -Because "$name needs an example"
        }
    }
}
