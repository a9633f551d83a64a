using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.OAuth;

/// <summary>State of the emulated Google authorization server. (Owned by the OAuth side.)</summary>
public sealed class OAuthServer
{
    public OAuthServer(EmulatorOptions options, EmulatorClock clock) { }

    public Uri? BaseUrl { get; set; }
}
