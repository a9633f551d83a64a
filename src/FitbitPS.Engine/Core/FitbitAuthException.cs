using System;

namespace FitbitPS.Engine.Core
{
    /// <summary>Stable error ids of sign-in and token-cache failures.</summary>
    public static class AuthErrorIds
    {
        public const string NotSignedIn = "FitbitNotSignedIn";
        public const string InteractionRequired = "FitbitInteractiveSignInRequired";
        public const string RefreshTokenRejected = "FitbitRefreshTokenRejected";
        public const string AccessDenied = "FitbitConsentDenied";
        public const string ConsentError = "FitbitConsentError";
        public const string ClientSecretsInvalid = "FitbitClientSecretsInvalid";
        public const string ClientMissing = "FitbitClientConfigurationMissing";
        public const string AccountNotLinked = "FitbitAccountNotLinked";
        public const string KeyringUnavailable = "FitbitProtectedCacheUnavailable";
        public const string KeyringLocked = "FitbitProtectedCacheLocked";
        public const string PortInUse = "FitbitLoopbackPortInUse";
        public const string RedirectUriNotRegistered = "FitbitRedirectUriNotRegistered";
        public const string StateMismatch = "FitbitStateMismatch";
        public const string SignInTimeout = "FitbitSignInTimeout";
        public const string SignInCancelled = "FitbitSignInCancelled";
        public const string RedirectUrlInvalid = "FitbitRedirectUrlInvalid";
        public const string SignInPending = "FitbitSignInPending";
        public const string PassphraseMissing = "FitbitCachePassphraseMissing";
        public const string PassphraseWrong = "FitbitCachePassphraseWrong";
        public const string CacheTampered = "FitbitCacheTampered";
        public const string CacheDamaged = "FitbitCacheDamaged";
        public const string CacheUnreadable = "FitbitCacheUnreadable";
        public const string InvalidProfileName = "FitbitInvalidProfileName";
        public const string TokenEndpointError = "FitbitTokenEndpointError";
        public const string RevokeFailed = "FitbitRevokeFailed";
        public const string IdentityFailed = "FitbitIdentityRequestFailed";
        public const string BrowserFailed = "FitbitBrowserLaunchFailed";
    }

    /// <summary>A sign-in, refresh, revoke or token-cache failure with a stable <see cref="FitbitEngineException.ErrorId"/>.</summary>
    [Serializable]
    public sealed class FitbitAuthException : FitbitEngineException
    {
        public FitbitAuthException(string errorId, FitbitErrorKind kind, string message, Exception inner = null)
            : base(errorId, kind, message, inner) { }

        private string _profile;

        /// <summary>A sign-in that fails once fails for every request of the command.</summary>
        public override bool EndsCommand => true;

        /// <summary>The profile concerned, when there is one (also the error's target unless another is named).</summary>
        public string Profile
        {
            get => _profile;
            set { _profile = value; if (Target == null) Target = value; }
        }
    }
}
