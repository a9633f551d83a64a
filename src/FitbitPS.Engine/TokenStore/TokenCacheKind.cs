namespace FitbitPS.Engine.TokenStore
{
    /// <summary>Where a profile's tokens and client configuration are kept.</summary>
    public enum TokenCacheKind
    {
        /// <summary>The OS store: DPAPI (Windows), Keychain (macOS), Secret Service keyring via libsecret (Linux). Default.</summary>
        Protected,
        /// <summary>An AES-256 file keyed by PBKDF2-SHA256 from a passphrase (FITBITPS_CACHE_PASSPHRASE or given). For cron on servers with no keyring.</summary>
        Passphrase,
        /// <summary>Memory only, gone when the process ends. Nothing on disk.</summary>
        Process,
        /// <summary>An unencrypted file (mode 0600). Only when asked for by name; FitbitPS warns every time.</summary>
        Plaintext,
    }
}
