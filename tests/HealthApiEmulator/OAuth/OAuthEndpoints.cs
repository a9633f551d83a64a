using HealthApiEmulator.Hosting;
using Microsoft.AspNetCore.Builder;

namespace HealthApiEmulator.OAuth;

/// <summary>GET /o/oauth2/v2/auth, POST /token, POST /revoke. (Owned by the OAuth side.)</summary>
internal static class OAuthEndpoints
{
    public static void Map(WebApplication app, EmulatorOptions options, EmulatorClock clock, OAuthServer oauth) { }
}
