using System;

namespace FitbitPS.Hosting
{
    internal static class HostEnvironment
    {
        /// <summary>
        /// True when FitbitPS must never open a browser or prompt: pwsh -NonInteractive, a scheduled task or cron
        /// (no user-interactive session), or FITBITPS_NONINTERACTIVE=1.
        /// </summary>
        public static bool IsNonInteractive
        {
            get
            {
                if (Environment.GetEnvironmentVariable("FITBITPS_NONINTERACTIVE") == "1") return true;
                foreach (var arg in Environment.GetCommandLineArgs())
                    if (arg.Length >= 5 && arg.StartsWith("-noni", StringComparison.OrdinalIgnoreCase)
                        && "-noninteractive".StartsWith(arg, StringComparison.OrdinalIgnoreCase)) return true;
                return !Environment.UserInteractive;
            }
        }
    }
}
