using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Identity.Client.Extensions.Msal;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// The OS store through MSAL Extensions' <see cref="Storage"/>: DPAPI-encrypted file on Windows,
    /// Keychain on macOS, the Secret Service keyring (libsecret over D-Bus) on Linux. Persistence is
    /// verified once per folder and process; failure is an error naming the other cache choices —
    /// never a silent plaintext fallback.
    /// </summary>
    /// <remarks>
    /// A locked Linux keyring reads back as empty. So every successful write also leaves a small
    /// non-secret marker file ("*.protected-marker"): marker present + empty read = locked keyring,
    /// reported as such instead of "not signed in".
    /// </remarks>
    internal sealed class ProtectedBlobStore : IProfileBlobStore
    {
        public const string MarkerSuffix = ".protected-marker";
        public const string DataSuffix = ".protected";
        public const string DocsSection = "docs/authentication.md, section \"Linux without a desktop keyring\"";
        private const string KeyringSchema = "dev.fitbitps.tokencache";

        private static readonly ConcurrentDictionary<string, bool> Verified = new ConcurrentDictionary<string, bool>();
        private readonly string _folder;
        private readonly ConcurrentDictionary<string, Storage> _storages = new ConcurrentDictionary<string, Storage>();

        public ProtectedBlobStore(string folder) { _folder = folder; }

        public TokenCacheKind Kind => TokenCacheKind.Protected;
        public string Location => _folder;
        public bool Encrypted => true;

        public string LockPath(string profile) => Path.Combine(_folder, profile + ".lock");
        private string MarkerPath(string profile) => Path.Combine(_folder, profile + MarkerSuffix);
        public IEnumerable<string> ListProfiles() => PlaintextBlobStore.ListBySuffix(_folder, MarkerSuffix);

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private string DpapiPath(string profile) => Path.Combine(_folder, profile + DataSuffix);

        public byte[] Read(string profile)
        {
            if (IsWindows)
            {
                var file = AtomicFile.ReadOrNull(DpapiPath(profile));
                if (file == null) return null;
                try { return ProtectedData.Unprotect(file, null, DataProtectionScope.CurrentUser); }
                catch (CryptographicException ex)
                {
                    throw new FitbitAuthException(AuthErrorIds.CacheUnreadable, FitbitErrorKind.InvalidData,
                        $"Windows DPAPI cannot decrypt the token cache '{DpapiPath(profile)}' (it belongs to another Windows user or machine, or was damaged). " +
                        $"Run Disconnect-Fitbit -Profile {profile} and Connect-Fitbit -Profile {profile} again.", ex)
                    { Profile = profile, RecommendedAction = $"Disconnect-Fitbit -Profile {profile}; then Connect-Fitbit -Profile {profile}." };
                }
            }
            var storage = StorageFor(profile);
            byte[] data;
            try { data = storage.ReadData(); }
            catch (Exception ex) when (IsPersistenceFailure(ex)) { throw Unavailable(ex, profile); }
            if (data != null && data.Length > 0) return data;
            if (File.Exists(MarkerPath(profile)))
            {
                throw new FitbitAuthException(AuthErrorIds.KeyringLocked, FitbitErrorKind.ResourceUnavailable,
                    $"The OS keyring returned nothing for FitbitPS profile '{profile}', although FitbitPS stored its tokens there " +
                    $"(marker {MarkerPath(profile)}). The keyring is most likely locked: unlock it (see {DocsSection}) and try again. " +
                    $"If the keyring entry was deleted on purpose, run Disconnect-Fitbit -Profile {profile} and then Connect-Fitbit -Profile {profile}.")
                { Profile = profile, RecommendedAction = $"Unlock the keyring (see {DocsSection}) and run the command again." };
            }
            return null;
        }

        public void Write(string profile, byte[] data)
        {
            if (IsWindows)
            {
                // Same DPAPI (CurrentUser) encryption MSAL's Storage uses on Windows, but MSAL writes that
                // file in place; this goes through the temp-file + flush + rename path, so a killed writer
                // never leaves a half-written cache. The keyring/Keychain (no file) stay with MSAL.
                CacheFolder.Ensure(_folder);
                AtomicFile.Write(DpapiPath(profile), ProtectedData.Protect(data, null, DataProtectionScope.CurrentUser));
                AtomicFile.Write(Path.Combine(_folder, profile + MarkerSuffix), Encoding.UTF8.GetBytes("{\"profile\":\"" + profile + "\",\"store\":\"Windows DPAPI\"}"));
                return;
            }
            var storage = StorageFor(profile);
            try { storage.WriteData(data); }
            catch (Exception ex) when (IsPersistenceFailure(ex)) { throw Unavailable(ex, profile); }
            AtomicFile.Write(MarkerPath(profile), Encoding.UTF8.GetBytes(
                "{\"profile\":\"" + profile + "\",\"store\":\"" + StoreName + "\",\"note\":\"FitbitPS keeps this profile's tokens in the OS store; this file only marks that they exist.\"}"));
        }

        public void Delete(string profile)
        {
            if (IsWindows)
            {
                foreach (var f in new[] { DpapiPath(profile), MarkerPath(profile) }) if (File.Exists(f)) File.Delete(f);
                return;
            }
            try { StorageFor(profile).Clear(ignoreExceptions: true); }
            catch (Exception ex) when (IsPersistenceFailure(ex)) { throw Unavailable(ex, profile); }
            var m = MarkerPath(profile);
            if (File.Exists(m)) File.Delete(m);
        }

        /// <summary>Human name of the OS store behind this cache.</summary>
        public static string StoreName =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "Windows DPAPI"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macOS Keychain"
            : "Secret Service keyring (libsecret)";

        private Storage StorageFor(string profile)
        {
            CacheFolder.Ensure(_folder);
            var storage = _storages.GetOrAdd(profile, p =>
            {
                // The folder is part of the keyring/keychain identity so separate FITBITPS_HOME folders never share entries.
                var folderId = FolderId(_folder);
                var props = new StorageCreationPropertiesBuilder(p + DataSuffix, _folder)
                    .WithLinuxKeyring(KeyringSchema, MsalCacheHelper.LinuxKeyRingDefaultCollection,
                        $"FitbitPS token cache ({p})",
                        new KeyValuePair<string, string>("FitbitPS.profile", p),
                        new KeyValuePair<string, string>("FitbitPS.folder", folderId))
                    .WithMacKeyChain("FitbitPS", p + "@" + folderId)
                    .Build();
                return Storage.Create(props);
            });
            if (!Verified.ContainsKey(_folder))
            {
                // MSAL's check writes, reads and deletes one fixed probe entry: processes starting together
                // (any cache folder of this user) must take turns, or one deletes the probe another is about to read.
                try
                {
                    var probeLock = Path.Combine(Path.GetTempPath(), "fitbitps-keyring-check-" + Environment.UserName + ".lock");
                    using (new CrossPlatLock(probeLock, 25, 2400))
                        storage.VerifyPersistence();
                }
                catch (Exception ex) when (IsPersistenceFailure(ex)) { throw Unavailable(ex, profile); }
                Verified[_folder] = true;
            }
            return storage;
        }

        private static bool IsPersistenceFailure(Exception ex) =>
            ex is MsalCachePersistenceException || ex is DllNotFoundException || ex is EntryPointNotFoundException
            || ex is TypeInitializationException || ex is CryptographicException || ex is PlatformNotSupportedException
            || ex is InvalidOperationException;

        /// <summary>
        /// The OS store cannot be used. The message says why in words a person can act on; the library's own
        /// text stays in the inner exception (and -Debug), not in the message.
        /// </summary>
        private static FitbitAuthException Unavailable(Exception ex, string profile)
        {
            var linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
            var why = linux
                ? "the Secret Service keyring (libsecret over D-Bus) cannot be used: libsecret-1 may be missing, there may be no D-Bus session (typical over SSH and in cron), or the keyring may be locked"
                : $"the {StoreName} cannot be used";
            return new FitbitAuthException(AuthErrorIds.KeyringUnavailable, FitbitErrorKind.ResourceUnavailable,
                $"FitbitPS cannot keep the tokens of profile '{profile}' in the OS-protected cache: {why}.", ex)
            {
                Profile = profile,
                Target = profile,
                RecommendedAction = $"Sign in with another token cache: Connect-Fitbit -Profile {profile} -TokenCache Passphrase (an AES-256 file; the passphrase " +
                                    $"comes from {PassphraseBlobStore.PassphraseVariable} or -Passphrase, good for cron) or -TokenCache Process (memory only). " +
                                    (linux ? $"To start an unlocked keyring on a headless machine, see {DocsSection}." : ""),
            };
        }

        private static string FolderId(string folder)
        {
            using (var sha = SHA256.Create())
            {
                var h = sha.ComputeHash(Encoding.UTF8.GetBytes(Path.GetFullPath(folder)));
                return BitConverter.ToString(h, 0, 8).Replace("-", "").ToLowerInvariant();
            }
        }
    }
}
