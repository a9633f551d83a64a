using System.Management.Automation;
using FitbitPS.Engine.Auth;

namespace FitbitPS.Cmdlets
{
    /// <summary>Removes a profile's cached tokens and client configuration; with -Revoke also revokes the grant at Google.</summary>
    /// <example>
    /// <code>
    /// Disconnect-Fitbit -Profile partner -Revoke
    /// </code>
    /// <para>Revokes FitbitPS's access at Google for the profile 'partner' and removes its cached tokens and client configuration.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Disconnect-Fitbit -WhatIf
    /// </code>
    /// <para>Shows what would be removed for the default profile without removing anything.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Disconnect, "Fitbit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class DisconnectFitbitCommand : FitbitCmdletBase
    {
        /// <summary>Also revoke FitbitPS's access at Google (the refresh token stops working everywhere).</summary>
        [Parameter]
        public SwitchParameter Revoke { get; set; }

        protected override void EndProcessing()
        {
            var action = Revoke ? "Revoke access at Google and remove the cached tokens" : "Remove the cached tokens and client configuration";
            if (!ShouldProcess($"FitbitPS profile '{Profile}'", action)) return;
            var options = new SessionOptions { Profile = Profile, Log = EngineLog, NonInteractive = true };
            var removed = RunEngine(ct => FitbitAuthenticator.DisconnectAsync(options, Revoke.IsPresent, ct), Profile);
            SessionRegistry.Remove(Profile);
            if (!removed)
                WriteError(ToErrorRecord(new FitbitAuthException(AuthErrorIds.NotSignedIn, FitbitErrorKind.NotFound,
                    $"Profile '{Profile}' has no cached tokens; nothing to disconnect. Get-FitbitContext -ListAvailable lists the profiles."), Profile));
        }
    }
}
