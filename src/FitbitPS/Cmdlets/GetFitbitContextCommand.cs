using System.Management.Automation;
using FitbitPS.Engine.Auth;

namespace FitbitPS.Cmdlets
{
    /// <summary>Shows a profile's sign-in (user id, scopes, cache, expiry), or every profile with -ListAvailable. Never a token.</summary>
    /// <example>
    /// <code>
    /// Get-FitbitContext
    /// </code>
    /// <para>Shows the signed-in default profile: account, granted and missing scopes, token cache and access-token expiry.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitContext -ListAvailable
    /// </code>
    /// <para>Lists every profile saved on this machine.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "FitbitContext")]
    [OutputType(typeof(FitbitContext))]
    public sealed class GetFitbitContextCommand : FitbitCmdletBase
    {
        /// <summary>List every profile in every token cache (nothing is decrypted).</summary>
        [Parameter]
        public SwitchParameter ListAvailable { get; set; }

        protected override void EndProcessing()
        {
            if (ListAvailable)
            {
                foreach (var context in FitbitAuthenticator.ListProfiles()) WriteObject(context);
                return;
            }
            var session = SessionRegistry.Get(Profile);
            if (session != null) { WriteObject(session.Context); return; }
            try
            {
                WriteObject(FitbitAuthenticator.ReadContext(new SessionOptions { Profile = Profile, Log = EngineLog, NonInteractive = true }));
            }
            catch (FitbitEngineException ex)
            {
                WriteError(ToErrorRecord(ex, Profile));
            }
        }
    }
}
