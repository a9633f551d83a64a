using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// An AES-256 encrypted file per profile, keyed by PBKDF2-SHA256 from a passphrase. netstandard2.0
    /// has no AesGcm, so this is AES-256-CBC + HMAC-SHA256, encrypt-then-MAC, with separate derived keys
    /// (platform crypto only). A key-check value tells "wrong passphrase" apart from "file changed", and a
    /// header checksum tells a damaged file apart from both before any (slow) key derivation.
    /// </summary>
    /// <remarks>
    /// Format 2 (written): "FBPS" | 2 | iterations(int32 LE) | salt(16) | check(32) | iv(16) | sum(32) | ciphertext | tag(32).
    /// Format 1 (still read; rewritten as 2 on the next write): the same without sum.
    /// check = HMAC(macKey, "FitbitPS passphrase check"); sum = SHA-256(everything before it), unkeyed, so
    /// damage shows without the passphrase; tag = HMAC(macKey, everything before it).
    /// </remarks>
    internal sealed class PassphraseBlobStore : IProfileBlobStore
    {
        public const string Suffix = ".tokens.aes";
        public const string PassphraseVariable = "FITBITPS_CACHE_PASSPHRASE";
        public const int DefaultIterations = 600_000; // OWASP 2023 for PBKDF2-HMAC-SHA256
        // Iteration counts the writer accepts, and so the reader of format 2 (format 1 was only ever written with the default).
        private const int MinIterations = 1_000, MaxIterations = 10_000_000;

        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("FBPS");
        private static readonly byte[] CheckLabel = Encoding.ASCII.GetBytes("FitbitPS passphrase check");
        private const int SaltLength = 16, CheckLength = 32, IvLength = 16, SumLength = 32, TagLength = 32, BlockLength = 16;
        // magic, version, iterations, salt, check, iv: format 1's header, and what format 2's sum covers.
        private const int SummedLength = 4 + 1 + 4 + SaltLength + CheckLength + IvLength;
        internal const byte CurrentVersion = 2;
        /// <summary>Format 2's header: everything before the ciphertext.</summary>
        internal const int HeaderLength = SummedLength + SumLength;

        // Deriving costs ~0.2 s; a process re-uses keys for a (passphrase, salt, iterations) it has seen.
        private static readonly ConcurrentDictionary<string, byte[]> DerivedKeys = new ConcurrentDictionary<string, byte[]>();

        private readonly string _folder;
        private readonly string _passphrase;
        private readonly int _iterations;

        /// <param name="folder">Where the profile files live.</param>
        /// <param name="passphrase">null: read FITBITPS_CACHE_PASSPHRASE.</param>
        /// <param name="iterations">PBKDF2 iterations for new files.</param>
        public PassphraseBlobStore(string folder, string passphrase = null, int iterations = DefaultIterations)
        {
            if (iterations < MinIterations || iterations > MaxIterations)
                throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"PBKDF2 iterations must be {MinIterations:N0} to {MaxIterations:N0}.");
            _folder = folder;
            _passphrase = string.IsNullOrEmpty(passphrase) ? Environment.GetEnvironmentVariable(PassphraseVariable) : passphrase;
            _iterations = iterations;
        }

        public TokenCacheKind Kind => TokenCacheKind.Passphrase;
        public string Location => _folder;
        public bool Encrypted => true;

        public string PathOf(string profile) => Path.Combine(_folder, profile + Suffix);
        public string LockPath(string profile) => Path.Combine(_folder, profile + ".lock");
        public IEnumerable<string> ListProfiles() => PlaintextBlobStore.ListBySuffix(_folder, Suffix);
        public void Delete(string profile) { var p = PathOf(profile); if (File.Exists(p)) File.Delete(p); }

        public byte[] Read(string profile)
        {
            var file = AtomicFile.ReadOrNull(PathOf(profile));
            return file == null ? null : Decrypt(file, RequirePassphrase(), PathOf(profile), profile);
        }

        public void Write(string profile, byte[] data)
        {
            CacheFolder.Ensure(_folder);
            var passphrase = RequirePassphrase();
            // Keep the file's salt so a rewrite costs no new derivation (only the IV changes).
            byte[] salt = null; int iterations = _iterations;
            var existing = AtomicFile.ReadOrNull(PathOf(profile));
            if (existing != null)
            {
                try
                {
                    var header = ReadHeader(existing, PathOf(profile), profile);
                    if (KeysFit(header, passphrase, out _)) { salt = header.Salt; iterations = header.Iterations; }
                }
                catch (FitbitAuthException) { /* damaged: written anew with a new salt */ }
            }
            AtomicFile.Write(PathOf(profile), Encrypt(data, passphrase, salt, iterations));
            AtomicFile.CleanStaleTemps(_folder);
        }

        private string RequirePassphrase()
        {
            if (!string.IsNullOrEmpty(_passphrase)) return _passphrase;
            throw new FitbitAuthException(AuthErrorIds.PassphraseMissing, FitbitErrorKind.Authentication,
                $"The Passphrase token cache needs a passphrase: set the environment variable {PassphraseVariable} " +
                "or pass -Passphrase (a SecureString) to Connect-Fitbit.")
            { RecommendedAction = $"Set {PassphraseVariable} (e.g. $env:{PassphraseVariable} = Get-Content <file readable only by you>) or pass -Passphrase to Connect-Fitbit." };
        }

        internal static byte[] Encrypt(byte[] plaintext, string passphrase, byte[] salt = null, int iterations = DefaultIterations)
        {
            salt = salt ?? RandomBytes(SaltLength);
            var keys = DeriveKeys(passphrase, salt, iterations);
            var encKey = Slice(keys, 0, 32); var macKey = Slice(keys, 32, 32);
            var iv = RandomBytes(IvLength);
            byte[] cipher;
            using (var aes = Aes.Create())
            {
                aes.KeySize = 256; aes.Mode = CipherMode.CBC; aes.Padding = PaddingMode.PKCS7;
                aes.Key = encKey; aes.IV = iv;
                using (var enc = aes.CreateEncryptor()) cipher = enc.TransformFinalBlock(plaintext, 0, plaintext.Length);
            }
            using (var ms = new MemoryStream())
            {
                ms.Write(Magic, 0, 4);
                ms.WriteByte(CurrentVersion);
                ms.Write(BitConverter.GetBytes(iterations), 0, 4); // little-endian on every platform .NET runs on
                ms.Write(salt, 0, SaltLength);
                ms.Write(Hmac(macKey, CheckLabel), 0, CheckLength);
                ms.Write(iv, 0, IvLength);
                ms.Write(Sha256(ms.ToArray()), 0, SumLength);
                ms.Write(cipher, 0, cipher.Length);
                var body = ms.ToArray();
                var tag = Hmac(macKey, body);
                ms.Write(tag, 0, TagLength);
                return ms.ToArray();
            }
        }

        internal static byte[] Decrypt(byte[] file, string passphrase, string pathForMessages, string profile)
        {
            var header = ReadHeader(file, pathForMessages, profile);
            if (!KeysFit(header, passphrase, out var keys))
            {
                // Format 1 has no header checksum: a damaged salt or check looks like a wrong passphrase there.
                var orDamaged = header.Version == 1
                    ? " (This file predates FitbitPS's header checksum, so a damaged file looks the same; it gets one on the next sign-in or refresh.)"
                    : "";
                throw new FitbitAuthException(AuthErrorIds.PassphraseWrong, FitbitErrorKind.Authentication,
                    $"The passphrase does not open the token cache '{pathForMessages}'. Use the passphrase it was created with " +
                    $"({PassphraseVariable} or -Passphrase), or remove the profile with Disconnect-Fitbit and sign in again." + orDamaged)
                { Target = pathForMessages, RecommendedAction = $"Set {PassphraseVariable} to the passphrase the cache was created with, or run Disconnect-Fitbit and Connect-Fitbit to start over." };
            }
            var macKey = Slice(keys, 32, 32);
            var bodyLength = file.Length - TagLength;
            var expected = Hmac(macKey, Slice(file, 0, bodyLength));
            if (!FixedTimeEquals(expected, Slice(file, bodyLength, TagLength)))
                throw Tampered(pathForMessages, "its authentication tag does not match (the file was changed or damaged)");
            using (var aes = Aes.Create())
            {
                aes.KeySize = 256; aes.Mode = CipherMode.CBC; aes.Padding = PaddingMode.PKCS7;
                aes.Key = Slice(keys, 0, 32); aes.IV = header.Iv;
                using (var dec = aes.CreateDecryptor())
                    return dec.TransformFinalBlock(file, header.CipherOffset, bodyLength - header.CipherOffset);
            }
        }

        private sealed class Header
        {
            public int Version, Iterations, CipherOffset;
            public byte[] Salt, Check, Iv;
        }

        /// <summary>
        /// Every header field checked against what the writer writes, without the passphrase: a damaged
        /// file is <see cref="AuthErrorIds.CacheDamaged"/> before any key derivation, whatever the damage
        /// does to the iteration count or salt.
        /// </summary>
        private static Header ReadHeader(byte[] file, string path, string profile)
        {
            if (file.Length < 5 || !StartsWithMagic(file))
                throw Damaged(path, profile, "it does not start like a FitbitPS passphrase cache");
            var version = file[4];
            if (version != 1 && version != 2)
                throw Damaged(path, profile, $"its format version ({version}) is not one FitbitPS writes");
            var cipherOffset = version == 1 ? SummedLength : HeaderLength;
            var cipherLength = file.Length - cipherOffset - TagLength;
            if (cipherLength < BlockLength || cipherLength % BlockLength != 0)
                throw Damaged(path, profile, $"its length ({file.Length} bytes) does not fit its format: it was cut short or added to");
            if (version == 2 && !FixedTimeEquals(Sha256(Slice(file, 0, SummedLength)), Slice(file, SummedLength, SumLength)))
                throw Damaged(path, profile, "its header does not match the header's checksum");
            var iterations = BitConverter.ToInt32(file, 5);
            if (version == 1 ? iterations != DefaultIterations : iterations < MinIterations || iterations > MaxIterations)
                throw Damaged(path, profile, $"its key-derivation iteration count ({iterations}) is not one FitbitPS writes");
            return new Header
            {
                Version = version, Iterations = iterations, CipherOffset = cipherOffset,
                Salt = Slice(file, 9, SaltLength), Check = Slice(file, 9 + SaltLength, CheckLength), Iv = Slice(file, 9 + SaltLength + CheckLength, IvLength),
            };
        }

        /// <summary>Derives the keys (the slow part) and checks them against the header's key-check value.</summary>
        private static bool KeysFit(Header header, string passphrase, out byte[] keys)
        {
            keys = DeriveKeys(passphrase, header.Salt, header.Iterations);
            return FixedTimeEquals(header.Check, Hmac(Slice(keys, 32, 32), CheckLabel));
        }

        private static FitbitAuthException Damaged(string path, string profile, string why) =>
            new FitbitAuthException(AuthErrorIds.CacheDamaged, FitbitErrorKind.InvalidData,
                $"The token cache '{path}' is damaged: {why}. No passphrase opens it. Remove it with Disconnect-Fitbit -Profile {profile} " +
                $"and sign in again with Connect-Fitbit -Profile {profile} -ClientSecretFile <the client JSON> (the client settings were in the damaged file too).")
            {
                Profile = profile, Target = path,
                RecommendedAction = $"Disconnect-Fitbit -Profile {profile}; then Connect-Fitbit -Profile {profile} -ClientSecretFile <the client JSON from Google Cloud console>.",
            };

        private static FitbitAuthException Tampered(string path, string why) =>
            new FitbitAuthException(AuthErrorIds.CacheTampered, FitbitErrorKind.Security,
                $"The token cache '{path}' cannot be trusted: {why}. Remove it with Disconnect-Fitbit (or delete the file) and sign in again with Connect-Fitbit.")
            { Target = path, RecommendedAction = "Remove the profile with Disconnect-Fitbit (or delete the file) and sign in again with Connect-Fitbit." };

        private static byte[] DeriveKeys(string passphrase, byte[] salt, int iterations)
        {
            var cacheKey = Convert.ToBase64String(Sha256(Encoding.UTF8.GetBytes(passphrase))) + "|" + Convert.ToBase64String(salt) + "|" + iterations;
            return DerivedKeys.GetOrAdd(cacheKey, _ =>
                Pbkdf2.Sha256(Encoding.UTF8.GetBytes(passphrase), salt, iterations, 64));
        }

        private static bool StartsWithMagic(byte[] b) => b.Length >= 4 && b[0] == Magic[0] && b[1] == Magic[1] && b[2] == Magic[2] && b[3] == Magic[3];

        private static byte[] Hmac(byte[] key, byte[] data) { using (var h = new HMACSHA256(key)) return h.ComputeHash(data); }
        private static byte[] Sha256(byte[] data) { using (var h = SHA256.Create()) return h.ComputeHash(data); }
        private static byte[] RandomBytes(int n) { var b = new byte[n]; using (var r = RandomNumberGenerator.Create()) r.GetBytes(b); return b; }
        private static byte[] Slice(byte[] b, int offset, int length) { var r = new byte[length]; Buffer.BlockCopy(b, offset, r, 0, length); return r; }

        private static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            var diff = 0;
            for (var i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }
}
