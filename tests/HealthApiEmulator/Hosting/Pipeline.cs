using Microsoft.AspNetCore.Builder;

namespace HealthApiEmulator.Hosting;

/// <summary>Middleware shared by every endpoint: request log, fault injection, latency, per-user
/// quota and bearer-token check for /v4. (Owned by the OAuth/host side.)</summary>
internal static class Pipeline
{
    public static void Configure(WebApplication app, EmulatorOptions options, EmulatorClock clock,
        OAuth.OAuthServer oauth, Faults.FaultPlan faults, RequestLog requests)
    {
        // TODO(host): log, faults, latency, quota, bearer auth → HttpContext.Items[AuthenticatedCaller.ItemKey]
    }
}
