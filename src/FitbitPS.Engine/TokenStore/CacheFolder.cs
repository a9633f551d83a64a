using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>The per-user folder FitbitPS keeps its caches in, and profile-name rules.</summary>
    internal static class CacheFolder
    {
        /// <summary>Overrides the folder (tests use temp folders; also handy for service accounts).</summary>
        public const string HomeVariable = "FITBITPS_HOME";

        private static readonly Regex ProfileName = new Regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// FITBITPS_HOME, else %LOCALAPPDATA%\FitbitPS on Windows, $XDG_DATA_HOME/FitbitPS or
        /// ~/.local/share/FitbitPS elsewhere (macOS: ~/Library/Application Support/FitbitPS).
        /// </summary>
        public static string Resolve(string overridePath = null)
        {
            if (!string.IsNullOrWhiteSpace(overridePath)) return Path.GetFullPath(overridePath);
            var env = Environment.GetEnvironmentVariable(HomeVariable);
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "FitbitPS");
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                return Path.Combine(home, "Library", "Application Support", "FitbitPS");
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            var dataHome = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".local", "share");
            return Path.Combine(dataHome, "FitbitPS");
        }

        /// <summary>Creates the folder (user-only permissions on Unix).</summary>
        public static string Ensure(string folder)
        {
            Directory.CreateDirectory(folder);
            UnixFile.TryChmod(folder, UnixFile.UserOnlyDirectory);
            return folder;
        }

        /// <summary>Profile names become file names and keyring attributes, so they are kept simple.</summary>
        public static string ValidateProfile(string profile)
        {
            if (string.IsNullOrEmpty(profile)) return "default";
            if (!ProfileName.IsMatch(profile))
                throw new FitbitAuthException(AuthErrorIds.InvalidProfileName, FitbitErrorKind.InvalidArgument,
                    $"'{profile}' is not a valid profile name.")
                { Target = profile, RecommendedAction = "Name the profile with 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. -Profile partner)." };
            return profile;
        }
    }
}
