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
        Join-Path $folder 'Dependencies' 'FitbitPS.Engine.dll' | Should -Exist
        Join-Path $folder 'FitbitPS.Engine.dll' | Should -Not -Exist
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

    It 'states every real default in the help (<Name>)' -ForEach @(
        @{ Name = 'Connect-Fitbit' }, @{ Name = 'Export-FitbitData' }, @{ Name = 'Get-FitbitSleep' }, @{ Name = 'Get-FitbitData' }, @{ Name = 'Disconnect-Fitbit' }
    ) {
        $cmd = Get-Command $Name
        $instance = [Activator]::CreateInstance($cmd.ImplementingType)
        $help = Get-Help $Name -Full
        foreach ($p in $cmd.ImplementingType.GetProperties() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true) }) {
            $value = $p.GetValue($instance)
            $type = if ($p.PropertyType.IsValueType) { [Activator]::CreateInstance($p.PropertyType) } else { $null }
            if ($null -eq $value -or $value -is [System.Management.Automation.SwitchParameter] -or "$value" -eq "$type") { continue }
            $documented = ($help.parameters.parameter | Where-Object name -eq $p.Name).defaultValue
            $documented | Should -Not -Be 'None' -Because "-$($p.Name) of $Name defaults to $value"
            $documented | Should -Match ([regex]::Escape((@($value) -join ', '))) -Because "-$($p.Name) of $Name defaults to $value"
        }
    }

    It 'says -Days defaults to 7 (readers)' {
        ((Get-Help Get-FitbitSleep -Full).parameters.parameter | Where-Object name -eq Days).defaultValue | Should -Match '^7\b'
        ((Get-Help Get-FitbitActivity -Full).parameters.parameter | Where-Object name -eq Days).defaultValue | Should -Match '^7\b'
    }

    It 'gives every cmdlet a description that says more than its synopsis, and related links' {
        foreach ($name in $script:manifest.ExportedCmdlets.Keys) {
            $help = Get-Help $name -Full
            $description = ($help.description | ForEach-Object Text) -join ' '
            $description.Length | Should -BeGreaterThan 80 -Because "$name needs a description"
            $description | Should -Not -BeLike ($help.Synopsis + '*') -Because "$name's description repeats its synopsis"
            @($help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 2 -Because "$name needs related links"
            $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_FitbitPS'
            foreach ($link in $help.relatedLinks.navigationLink.linkText | Where-Object { $_ -notlike 'about_*' }) {
                Get-Command $link -Module FitbitPS | Should -Not -BeNullOrEmpty -Because "$name links to $link"
            }
        }
    }

    It 'has an about_FitbitPS topic' {
        $about = Get-Help about_FitbitPS
        ($about | Out-String) | Should -Match 'SHORT DESCRIPTION'
        ($about | Out-String) | Should -Match 'Connect-Fitbit'
    }
}

