namespace HealthApiEmulator.Hosting;

/// <summary>Who is calling the Health API: set on HttpContext.Items by the bearer-token check
/// (OAuth side) before any /v4 handler runs. Health handlers enforce per-data-type scopes with it.</summary>
public sealed record AuthenticatedCaller(string HealthUserId, IReadOnlySet<string> Scopes, string ClientId)
{
    public const string ItemKey = "HealthApiEmulator.Caller";

    public bool HasScope(string scope) => Scopes.Contains(scope);
}

/// <summary>Google's scope strings.</summary>
public static class Scopes
{
    public const string Prefix = "https://www.googleapis.com/auth/googlehealth.";
    public const string ActivityAndFitness = Prefix + "activity_and_fitness.readonly";
    public const string HealthMetrics = Prefix + "health_metrics_and_measurements.readonly";
    public const string Sleep = Prefix + "sleep.readonly";
    public const string Profile = Prefix + "profile.readonly";
    public const string Settings = Prefix + "settings.readonly";
    public const string Location = Prefix + "location.readonly";
    public const string Ecg = Prefix + "ecg.readonly";
    public const string Irn = Prefix + "irn.readonly";
    public const string Nutrition = Prefix + "nutrition.readonly";
    public const string CloudPlatform = "https://www.googleapis.com/auth/cloud-platform";
}
