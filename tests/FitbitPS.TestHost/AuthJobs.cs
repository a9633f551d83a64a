namespace FitbitPS.TestHost;

/// <summary>Token-cache jobs (owned by the auth work).</summary>
internal static class AuthJobs
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(64);
}
