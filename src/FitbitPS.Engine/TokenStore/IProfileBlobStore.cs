using System.Collections.Generic;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// One opaque blob per profile in one kind of storage. <see cref="ProfileStore"/> adds locking and
    /// the JSON record on top; implementations only move bytes (encrypting where the kind says so).
    /// </summary>
    internal interface IProfileBlobStore
    {
        TokenCacheKind Kind { get; }

        /// <summary>The folder (or "memory") the blobs live in; shown by Get-FitbitContext.</summary>
        string Location { get; }

        /// <summary>True when the bytes at rest are encrypted.</summary>
        bool Encrypted { get; }

        /// <summary>The profile's blob, or null when the profile has none.</summary>
        byte[] Read(string profile);

        void Write(string profile, byte[] data);

        void Delete(string profile);

        /// <summary>Profiles that have a blob in this store.</summary>
        IEnumerable<string> ListProfiles();

        /// <summary>Path of the file that holds (or marks) the profile, for lock files next to it.</summary>
        string LockPath(string profile);
    }
}
