namespace FitbitPS.Bench;

public static class ResultsFile
{
    public static string DefaultPath() => "bench/RESULTS.md";
    public static void Write(BenchSettings settings, ResultTable table, TimeSpan elapsed) { }
}
