using FitbitPS.Engine;
using System.Globalization;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Auth;

namespace FitbitPS.TestHost;

/// <summary>
/// Read jobs: one real process reading raw heart rate from the emulator the test runs (the access token in
/// FITBITPS_TEST_ACCESS_TOKEN), so a test can look at what the read leaves on disk while it runs and after
/// it is killed (the page spool).
/// <code>read --base-url URL --from yyyy-MM-dd --to yyyy-MM-dd</code>
/// stdout: "SAMPLES n" when done. Exit 0 ok, 1 anything else.
/// </summary>
internal static class ReadJobs
{
    public static int Run(string[] args)
    {
        string? Get(string name) { var i = Array.IndexOf(args, "--" + name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        var token = Environment.GetEnvironmentVariable("FITBITPS_TEST_ACCESS_TOKEN") ?? throw new InvalidOperationException("FITBITPS_TEST_ACCESS_TOKEN is not set");
        using var connection = new FitbitConnection(new FixedToken(token), GoogleEndpoints.ForEmulator(new Uri(Get("base-url")!)).HealthApiBase);
        var range = new CivilRange(Day(Get("from")!), Day(Get("to")!));
        int samples = 0;
        foreach (var item in connection.OpenReader().ReadHeartRateSamples(range, CancellationToken.None))
        {
            if (item.IsError) { Console.Error.WriteLine(item.Error!.Message); return 1; }
            samples++;
        }
        Console.Out.WriteLine($"SAMPLES {samples}");
        return 0;
    }

    private static DateTime Day(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class FixedToken(string token) : IAccessTokenSource
    {
        public Task<string> GetAccessTokenAsync(string? rejected, CancellationToken cancellationToken) => Task.FromResult(token);
    }
}
