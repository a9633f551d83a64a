using FitbitPS.Loading;
using System.Management.Automation;
using FitbitPS.Hosting;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Core;

namespace FitbitPS.Cmdlets
{
    /// <summary>Shows a profile's sign-in (user id, scopes, cache, expiry), or every profile with -ListAvailable. Never a token.</summary>
    /// <remarks>
    /// For the profile open in this session it shows the live state (the current access token's expiry); for
    /// another saved profile it reads the token cache without calling Google. -ListAvailable reads every profile
    /// in every cache kind and gives each a Status: SignedIn (readers sign in silently), SignedOut,
    /// RefreshRejected (Google refused the refresh token: run Connect-Fitbit), Locked (passphrase missing or
    /// wrong, keyring locked) or Damaged (the cache was changed and cannot be trusted); StatusMessage says what
    /// to do. The output pipes into Disconnect-Fitbit and the readers by its Profile property.
    /// </remarks>
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
    /// <para>Lists every profile saved on this machine with its status.</para>
    /// </example>
    /// <example>
    /// <code>
    /// Get-FitbitContext -ListAvailable | Where-Object Status -eq SignedIn | Get-FitbitSleep -Days 1
    /// </code>
    /// <para>Last night's sleep of every person signed in on this machine.</para>
    /// </example>
    /// <seealso cref="ConnectFitbitCommand"/>
    /// <seealso cref="DisconnectFitbitCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommon.Get, "FitbitContext")]
    [OutputType(EngineType.Auth + nameof(FitbitContext))]
    public sealed class GetFitbitContextCommand : FitbitCmdletBase
    {
        /// <summary>List every profile in every token cache, each with its status.</summary>
        [Parameter]
        public SwitchParameter ListAvailable { get; set; }

        protected override void ProcessRecord()
        {
            if (ListAvailable)
            {
                foreach (var context in FitbitAuthenticator.ListProfiles()) WriteObject(context);
                return;
            }
            var connection = ConnectionRegistry.Get(Profile);
            if (connection != null) { WriteObject(connection.Session.Context); return; }
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
