using System;
using System.Linq;
using FitbitPS.Engine.Export;

namespace FitbitPS.Engine.Store
{
    /// <summary>Which profile of a store a read means.</summary>
    internal static class StoreProfiles
    {
        /// <summary><paramref name="requested"/> when the store has it; with none requested, the store's only profile (or
        /// "default"). A profile the store does not hold is an error naming the ones it does.</summary>
        public static string Choose(FitbitStore store, string requested)
        {
            var profiles = SyncStates.Profiles(store);
            if (requested != null && profiles.Contains(requested, StringComparer.Ordinal)) return requested;
            if (requested == null && profiles.Count == 1) return profiles[0];
            if (requested == null && profiles.Contains(FitbitStore.DefaultProfile)) return FitbitStore.DefaultProfile;
            string held = profiles.Count == 0 ? "no profile yet (nothing was exported into it)" : "the profiles " + string.Join(", ", profiles.Select(p => $"'{p}'"));
            throw new ExportException(ExportErrorKind.ProfileNotInStore,
                requested == null
                    ? $"The store '{store.FilePath}' holds {held}: say whose data to read with -Profile."
                    : $"The store '{store.FilePath}' holds no data of the profile '{requested}'; it holds {held}.", store.FilePath)
            { RecommendedAction = profiles.Count == 0 ? "Run Export-FitbitData -Path <folder> first." : $"Add -Profile {profiles[0]} (or another profile the store holds)." };
        }
    }
}
