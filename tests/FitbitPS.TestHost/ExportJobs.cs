namespace FitbitPS.TestHost;

/// <summary>Export jobs (owned by the export work).</summary>
internal static class ExportJobs
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(64);
}
