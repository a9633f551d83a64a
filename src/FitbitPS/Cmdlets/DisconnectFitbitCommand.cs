using System.Management.Automation;
using FitbitPS.Hosting;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Core;

namespace FitbitPS.Cmdlets
{
    /// <summary>Removes a profile's cached tokens and client configuration; with -Revoke also revokes the grant at Google.</summary>
    /// <remarks>
    /// Without -Revoke, only this computer forgets the profile: the grant at Google stays until it is removed at
    /// https://myaccount.google.com/connections or expires. With -Revoke, Google is asked first to revoke the refresh
    /// token (every copy of it stops working); when Google cannot be reached the local tokens are kept, so the revoke
    /// can be tried again, and the error says how to remove them anyway. Takes profiles from the pipeline
    /// (Get-FitbitContext -ListAvailable | Disconnect-Fitbit) and supports -WhatIf and -Confirm.
    /// </remarks>
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
    /// <example>
    /// <code>
    /// Get-FitbitContext -ListAvailable | Where-Object Status -ne SignedIn | Disconnect-Fitbit
    /// </code>
    /// <para>Removes every saved profile that can no longer sign in (refused, damaged or signed out).</para>
    /// </example>
    /// <seealso cref="ConnectFitbitCommand"/>
    /// <seealso cref="GetFitbitContextCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommunications.Disconnect, "Fitbit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class DisconnectFitbitCommand : FitbitCmdletBase
    {
        /// <summary>Also revoke FitbitPS's access at Google (the refresh token stops working everywhere).</summary>
        [Parameter]
        public SwitchParameter Revoke { get; set; }

        protected override void ProcessRecord()
        {
            var action = Revoke ? "Revoke access at Google and remove the cached tokens" : "Remove the cached tokens and client configuration";
            if (!ShouldProcess($"FitbitPS profile '{Profile}'", action)) return;
            var options = new SessionOptions { Profile = Profile, Log = EngineLog, NonInteractive = true };
            bool removed;
            // One profile's failure (e.g. Google unreachable for -Revoke) must not stop the next piped profile.
            try { removed = CallEngine(ct => FitbitAuthenticator.DisconnectAsync(options, Revoke.IsPresent, ct)); }
            catch (FitbitEngineException e) { WriteError(ToErrorRecord(e, Profile)); return; }
            ConnectionRegistry.Remove(Profile);
            if (!removed)
                WriteError(ToErrorRecord(new FitbitAuthException(AuthErrorIds.NotSignedIn, FitbitErrorKind.NotFound,
                    $"Profile '{Profile}' has no cached tokens; nothing to disconnect.")
                { Target = Profile, RecommendedAction = "Get-FitbitContext -ListAvailable lists the saved profiles." }, Profile));
        }
    }
}
