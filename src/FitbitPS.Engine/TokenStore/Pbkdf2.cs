using System;
using System.Reflection;
using System.Security.Cryptography;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// PBKDF2-HMAC-SHA256 from the platform. netstandard2.0 only exposes SHA-1 PBKDF2 at compile time,
    /// but every runtime PowerShell runs on (.NET 8+, .NET Framework 4.7.2+) has the SHA-256 overloads,
    /// so they are bound by reflection. The RFC 8018 loop below is only the last resort for an older
    /// runtime and gives the same bytes (a test checks that).
    /// </summary>
    internal static class Pbkdf2
    {
        private delegate byte[] Derive(byte[] password, byte[] salt, int iterations, int length);
        private static readonly Derive Platform = FindPlatform();

        [ThreadStatic] private static int _derivationsOnThisThread;

        /// <summary>Derivations run on the calling thread so far: lets a test show that a damaged file
        /// was refused before any (slow) derivation, without timing it.</summary>
        internal static int DerivationsOnThisThread => _derivationsOnThisThread;

        public static byte[] Sha256(byte[] password, byte[] salt, int iterations, int length)
        {
            _derivationsOnThisThread++;
            return Platform != null ? Platform(password, salt, iterations, length) : Rfc8018(password, salt, iterations, length);
        }

        private static Derive FindPlatform()
        {
            // .NET 6+: static Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)
            var pbkdf2 = typeof(Rfc2898DeriveBytes).GetMethod("Pbkdf2", BindingFlags.Public | BindingFlags.Static, null,
                new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName), typeof(int) }, null);
            if (pbkdf2 != null)
                return (p, s, i, l) => (byte[])pbkdf2.Invoke(null, new object[] { p, s, i, HashAlgorithmName.SHA256, l });
            // .NET Framework 4.7.2+ / .NET Core 2.0+: new Rfc2898DeriveBytes(byte[], byte[], int, HashAlgorithmName)
            var ctor = typeof(Rfc2898DeriveBytes).GetConstructor(new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName) });
            if (ctor != null)
                return (p, s, i, l) =>
                {
                    using (var kdf = (Rfc2898DeriveBytes)ctor.Invoke(new object[] { p, s, i, HashAlgorithmName.SHA256 }))
                        return kdf.GetBytes(l);
                };
            return null;
        }

        internal static byte[] Rfc8018(byte[] password, byte[] salt, int iterations, int length)
        {
            var result = new byte[length];
            using (var hmac = new HMACSHA256(password))
            {
                var blocks = (length + 31) / 32;
                for (var block = 1; block <= blocks; block++)
                {
                    var input = new byte[salt.Length + 4];
                    Buffer.BlockCopy(salt, 0, input, 0, salt.Length);
                    input[salt.Length] = (byte)(block >> 24); input[salt.Length + 1] = (byte)(block >> 16);
                    input[salt.Length + 2] = (byte)(block >> 8); input[salt.Length + 3] = (byte)block;
                    var u = hmac.ComputeHash(input);
                    var t = (byte[])u.Clone();
                    for (var i = 1; i < iterations; i++)
                    {
                        u = hmac.ComputeHash(u);
                        for (var j = 0; j < t.Length; j++) t[j] ^= u[j];
                    }
                    Buffer.BlockCopy(t, 0, result, (block - 1) * 32, Math.Min(32, length - (block - 1) * 32));
                }
            }
            return result;
        }
    }
}
