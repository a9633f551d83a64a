@{
    RootModule           = 'FitbitPS.dll'
    # Imported before the root module: makes the engine in Dependencies/ loadable, on PowerShell 7 in a private
    # AssemblyLoadContext (src/FitbitPS.Loader).
    NestedModules        = @('FitbitPS.Loader.dll')
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '5b0e7a52-3f0c-4c49-9d7e-6f1f0f6a2b11'
    Author               = 'FitbitPS contributors'
    CompanyName          = 'FitbitPS'
    Copyright            = '(c) FitbitPS contributors. MIT License.'
    Description          = 'Your own Fitbit data in PowerShell, through the Google Health API v4: sign in once, typed records on the pipeline, an incremental local export.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('FitbitPS.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Fitbit'
        'Disconnect-Fitbit'
        'Get-FitbitContext'
        'Get-FitbitBodyWeight'
        'Get-FitbitActivity'
        'Get-FitbitSleep'
        'Get-FitbitSleepStage'
        'Get-FitbitHeartRate'
        'Get-FitbitHeartRateVariability'
        'Get-FitbitOxygenSaturation'
        'Get-FitbitBreathingRate'
        'Get-FitbitSkinTemperature'
        'Get-FitbitCardioFitness'
        'Get-FitbitExercise'
        'Get-FitbitData'
        'Export-FitbitData'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Fitbit', 'GoogleHealth', 'Health', 'Sleep', 'Steps', 'HeartRate', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
