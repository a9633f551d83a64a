using Xunit;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// A test of the real OS keyring. It runs (and fails when the keyring is unusable) unless
/// FITBITPS_NO_KEYRING=1 says this machine has no keyring support — then it is skipped with that reason.
/// test.sh runs the suite inside dbus-run-session with an unlocked gnome-keyring.
/// </summary>
public sealed class KeyringFactAttribute : FactAttribute
{
    public KeyringFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FITBITPS_NO_KEYRING") == "1")
            Skip = "FITBITPS_NO_KEYRING=1: no OS keyring on this machine (run test.sh, which starts dbus-run-session + an unlocked gnome-keyring).";
    }
}
