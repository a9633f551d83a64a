using Xunit;

namespace FitbitPS.Tests.Faults;

/// <summary>A test of Unix file modes: skipped, with that reason, on Windows (where ACLs play that part).</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file modes (0600/0700) do not exist on Windows.";
    }
}
