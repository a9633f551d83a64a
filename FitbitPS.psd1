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
        'Invoke-FitbitQuery'
        'Import-FitbitTakeout'
        'Export-FitbitReport'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            # What the PowerShell Gallery shows (and Find-PSResource -Tag searches).
            Tags         = @('Fitbit', 'GoogleHealth', 'Google', 'Health', 'Sleep', 'Steps', 'HeartRate', 'Export',
                             'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/FitbitPS/FitbitPS'
            ReleaseNotes = @'
0.1.0
- Connect-Fitbit signs in with Google OAuth 2.0 (PKCE, loopback or -NoBrowser); tokens encrypted at rest (OS-protected
  cache, a passphrase file for servers, or process memory).
- Get-Fitbit* readers for weight, activity, sleep, heart rate, HRV, SpO2, breathing rate, skin temperature, cardio
  fitness, exercise and any Google Health data type (Get-FitbitData), as typed objects, from the Google Health API v4.
- Export-FitbitData keeps a local CSV/JSON copy up to date, incrementally and crash-safe, in a private folder.
- Faults of the network and of the API end in one clear error, never in lost or made-up data (docs/fault-matrix.md).
- Loads beside Az and Microsoft.Graph: its dependencies live in a private load context on PowerShell 7.
'@
        }
    }
}
