using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FitbitPS.Engine;
using FitbitPS.Engine.Export;
using FitbitPS.Tests.Export;
using FitbitPS.Tests.Module;
using FitbitPS.Tests.Readers;
using Xunit;
using Xunit.Abstractions;

namespace FitbitPS.Tests.Report;

/// <summary>The emulator person's store after a 1-year and a 5-year export (daily kinds, and the last two days by minute),
/// made once for the browser tests.</summary>
public sealed class ReportStores : IAsyncLifetime
{
    public static readonly DateTime LastDay = new(2026, 11, 19);
    public string OneYear { get; } = Folder("1y");
    public string FiveYears { get; } = Folder("5y");
    public TimeSpan ExportTime { get; private set; }

    private static string Folder(string name) =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "fitbitps-report-tests", Guid.NewGuid().ToString("N"), name)).FullName;

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // No quota on either side: the point is the report, not the pacing (a 5-year export is paced to 300 requests a minute).
        await using var h = await ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; }, throttle: new FitbitPS.Engine.Http.RequestThrottle(4, 0));
        foreach (var (folder, days) in new[] { (OneYear, 365), (FiveYears, 5 * 365 + 1) })
        {
            await h.Connection.ExportAsync(new ExportSpec { Path = folder, From = LastDay.AddDays(-(days - 1)), To = LastDay }, null, default);
            await h.Connection.ExportAsync(new ExportSpec { Path = folder, DataTypes = new[] { "HeartRateIntraday", "ActivityIntraday" }, From = LastDay.AddDays(-1), To = LastDay }, null, default);
        }
        ExportTime = clock.Elapsed;
    }

    public Task DisposeAsync()
    {
        // FITBITPS_KEEP_REPORT_STORES=1 keeps them (and their reports) to look at.
        if (Environment.GetEnvironmentVariable("FITBITPS_KEEP_REPORT_STORES") == "1") return Task.CompletedTask;
        try { Directory.Delete(Path.GetDirectoryName(OneYear)!, true); Directory.Delete(Path.GetDirectoryName(FiveYears)!, true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>The browser tests run alone: Chromium and the 5-year export load both cores, and other tests' attempt deadlines
/// (2 s in the fault matrix) are not meant to compete with them.</summary>
[CollectionDefinition(nameof(BrowserCollection), DisableParallelization = true)]
public sealed class BrowserCollection { }

/// <summary>
/// The report in a real Chromium (Debian's, driven by playwright-core from npm; tests/report/check-report.mjs): for the
/// emulator person's 1-year and 5-year store, no console error, no request of any kind, every chart drawn with as many
/// points as the store holds for it, the values of chosen days equal to the store's, a screenshot under TestResults/.
/// </summary>
[Collection(nameof(BrowserCollection))]
public class ReportBrowserTests : IClassFixture<ReportStores>
{
    private readonly ReportStores _stores;
    private readonly ITestOutputHelper _output;

    public ReportBrowserTests(ReportStores stores, ITestOutputHelper output) { _stores = stores; _output = output; }

    public static TheoryData<string> Stores => new() { "1y", "5y" };

    [Theory]
    [MemberData(nameof(Stores))]
    public void The_page_draws_every_chart_with_the_stores_points_and_values_and_asks_for_nothing(string which)
    {
        string folder = which == "1y" ? _stores.OneYear : _stores.FiveYears;
        var result = FitbitReport.Write(new ReportSpec { Path = folder }, default);
        _output.WriteLine($"{which}: {result.Bytes / 1024} KB in {result.Elapsed.TotalMilliseconds:N0} ms (stores exported in {_stores.ExportTime.TotalSeconds:N0} s)");
        Assert.True(result.Bytes < 5 * 1024 * 1024, $"the report is {result.Bytes} bytes; five years must stay under 5 MB");
        Assert.Empty(result.Empty);
        Assert.Equal(ReportStores.LastDay, result.To);

        var days = new[] { ReportStores.LastDay, ReportStores.LastDay.AddDays(-45), result.From.AddDays(20) }.Select(Day).ToArray();
        string screenshot = Path.Combine(BuiltModule.RepoRoot, "TestResults", $"report-{which}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        using var page = Browser.Check(result.Path, screenshot, days);
        var root = page.RootElement;
        _output.WriteLine($"rendered mark at {root.GetProperty("renderMs").GetDouble():N0} ms");

        Assert.Equal("[]", root.GetProperty("consoleErrors").GetRawText());
        Assert.Equal("[]", root.GetProperty("requests").GetRawText());
        Assert.Equal("[]", root.GetProperty("errors").GetRawText());
        Assert.True(root.GetProperty("rendered").GetBoolean());
        Assert.Equal("[]", root.GetProperty("noData").GetRawText());

        // Every chart drawn, each with the store's count of days (or samples) for it.
        using var db = StoreDump.Open(folder);
        var range = (From: Day(result.From), To: Day(result.To));
        string day = Day(ReportStores.LastDay);
        var expectedSql = new Dictionary<string, string>
        {
            ["steps"] = "SELECT count(*) FROM activity WHERE Date BETWEEN $f AND $t AND Steps IS NOT NULL",
            ["azm"] = "SELECT count(*) FROM activity WHERE Date BETWEEN $f AND $t AND coalesce(AzmFatBurn, AzmCardio, AzmPeak) IS NOT NULL",
            ["sleep"] = "SELECT count(DISTINCT Date) FROM sleep_sessions WHERE Date BETWEEN $f AND $t AND IsMainSleep = 1",
        };
        var expected = new Dictionary<string, long>
        {
            ["steps-calendar"] = Count(db, "SELECT count(*) FROM activity WHERE Date BETWEEN $f AND $t AND Steps IS NOT NULL", range),
            ["steps"] = Count(db, "SELECT count(*) FROM activity WHERE Date BETWEEN $f AND $t AND Steps IS NOT NULL", range),
            ["azm"] = Count(db, "SELECT count(*) FROM activity WHERE Date BETWEEN $f AND $t AND coalesce(AzmFatBurn, AzmCardio, AzmPeak) IS NOT NULL", range),
            ["sleep"] = Count(db, "SELECT count(DISTINCT Date) FROM sleep_sessions WHERE Date BETWEEN $f AND $t AND IsMainSleep = 1", range),
            ["sleep-times"] = Count(db, "SELECT count(DISTINCT Date) FROM sleep_sessions WHERE Date BETWEEN $f AND $t AND IsMainSleep = 1", range),
            ["weight"] = Count(db, "SELECT count(DISTINCT Date) FROM weight WHERE Date BETWEEN $f AND $t", range),
            ["body-fat"] = Count(db, "SELECT count(DISTINCT Date) FROM weight WHERE Date BETWEEN $f AND $t AND BodyFatPercent IS NOT NULL", range),
            ["resting-hr"] = Count(db, "SELECT count(DISTINCT Date) FROM resting_heart_rate WHERE Date BETWEEN $f AND $t", range),
            ["hrv"] = Count(db, "SELECT count(DISTINCT Date) FROM heart_rate_variability WHERE Date BETWEEN $f AND $t AND RmssdMilliseconds IS NOT NULL", range),
            ["spo2"] = Count(db, "SELECT count(DISTINCT Date) FROM oxygen_saturation WHERE Date BETWEEN $f AND $t AND AveragePercent IS NOT NULL", range),
            ["breathing"] = Count(db, "SELECT count(DISTINCT Date) FROM breathing_rate WHERE Date BETWEEN $f AND $t AND BreathsPerMinute IS NOT NULL", range),
            ["skin-temp"] = Count(db, "SELECT count(DISTINCT Date) FROM skin_temperature WHERE Date BETWEEN $f AND $t AND VariationCelsius IS NOT NULL", range),
            ["day"] = Count(db, "SELECT count(*) FROM heart_rate_samples WHERE Date = $f", (day, day)),
        };
        var charts = root.GetProperty("charts");
        Assert.Equal(expected.Keys.OrderBy(k => k), charts.EnumerateObject().Select(c => c.Name).OrderBy(k => k));
        // Over more than a year the bar charts open on the last 180 days (the rest is a drag of the slider away).
        var zoomed = (From: Day(result.To.AddDays(-179)), To: range.To);
        foreach (var (id, count) in expected)
        {
            var chart = charts.GetProperty(id);
            Assert.True(count > (id == "day" ? 1000 : which == "1y" ? 20 : 100), $"{id}: the store holds only {count} points for it");
            Assert.True(count == chart.GetProperty("points").GetInt64(), $"{id}: the page holds {chart.GetProperty("points")} points, the store {count}");
            Assert.Equal(count, chart.GetProperty("attribute").GetInt64());
            Assert.Equal(count, result.Charts[id]); // what Export-FitbitReport says it drew
            long drawn = chart.GetProperty("drawn").GetInt64();
            if (id == "day")
                Assert.True(drawn > 300 && drawn < count, $"day: {drawn} of {count} heart-rate samples drawn (LTTB draws what the pixels show)");
            else if (which == "5y" && id is "steps" or "azm" or "sleep")
                Assert.Equal(Count(db, expectedSql[id], zoomed), drawn);
            else
                Assert.True(count == drawn, $"{id}: {drawn} of its {count} days are drawn: every day must be");
        }
        Assert.Equal(Count(db, "SELECT count(*) FROM activity_minutes WHERE Date = $f AND Steps IS NOT NULL", (day, day)),
            charts.GetProperty("day").GetProperty("drawnSeries").GetProperty("Steps").GetInt64());

        // The day by minute: its samples in time order on the person's clock of that day (the emulator's day has no clock
        // change), the first, middle and last of them as the store has them.
        var samples = Rows(db, "SELECT Time, BeatsPerMinute FROM heart_rate_samples WHERE Date = $f", day)
            .Select(r => (Time: DateTimeOffset.Parse((string)r[0], CultureInfo.InvariantCulture), Bpm: Convert.ToInt64(r[1]))).OrderBy(x => x.Time).ToList();
        long dayStart = new DateTimeOffset(ReportStores.LastDay, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var heart = root.GetProperty("day").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Heart rate");
        Assert.Equal(samples.Count, heart.GetProperty("count").GetInt32());
        foreach (var (name, sample) in new[] { ("first", samples[0]), ("middle", samples[samples.Count >> 1]), ("last", samples[^1]) })
        {
            var point = heart.GetProperty(name);
            Assert.Equal(dayStart + (long)sample.Time.DateTime.TimeOfDay.TotalSeconds * 1000, point[0].GetInt64());
            Assert.Equal(sample.Bpm, point[1].GetInt64());
        }

        // The values the charts hold on the chosen days are the store's, in the person's units (the emulator's account
        // is set to pounds, miles and °F).
        var values = root.GetProperty("values");
        foreach (var d in days)
        {
            var activity = Row(db, "SELECT Steps, AzmCardio FROM activity WHERE Date = $f", d);
            Assert.Equal(Convert.ToInt64(activity[0]), Value(values, "steps", "Steps", d));
            Assert.Equal(Convert.ToInt64(activity[0]), Value(values, "steps-calendar", "Steps " + d[..4], d));
            Assert.Equal(Convert.ToInt64(activity[1]), Value(values, "azm", "Cardio", d));
            var sleep = Row(db, "SELECT Start, End, DeepMinutes, RemMinutes FROM sleep_sessions WHERE Date = $f AND IsMainSleep = 1", d);
            Assert.Equal(MinutesAfterNoon((string)sleep[0]), Value(values, "sleep-times", "Bedtime", d));
            Assert.Equal(MinutesAfterNoon((string)sleep[1]), Value(values, "sleep-times", "Wake time", d) % 1440);
            Assert.Equal(Convert.ToInt64(sleep[2]), Value(values, "sleep", "Deep", d) * 60, 6);   // hours in the chart, the store's minutes
            Assert.Equal(Convert.ToInt64(sleep[3]), Value(values, "sleep", "REM", d) * 60, 6);
            Assert.Equal(Convert.ToDouble(Row(db, "SELECT BeatsPerMinute FROM resting_heart_rate WHERE Date = $f ORDER BY Source", d)[0]), Value(values, "resting-hr", "Resting heart rate", d));
            Assert.Equal(Convert.ToDouble(Row(db, "SELECT RmssdMilliseconds FROM heart_rate_variability WHERE Date = $f ORDER BY Source", d)[0]), Value(values, "hrv", "HRV (RMSSD)", d));
            Assert.Equal(Convert.ToDouble(Row(db, "SELECT AveragePercent FROM oxygen_saturation WHERE Date = $f ORDER BY Source", d)[0]), Value(values, "spo2", "SpO₂", d));
            Assert.Equal(Convert.ToDouble(Row(db, "SELECT BreathsPerMinute FROM breathing_rate WHERE Date = $f ORDER BY Source", d)[0]), Value(values, "breathing", "Breathing rate", d));
            Assert.Equal(Math.Round(Convert.ToDouble(Row(db, "SELECT VariationCelsius FROM skin_temperature WHERE Date = $f ORDER BY Source", d)[0]) * 1.8, 2),
                Value(values, "skin-temp", "Skin temperature variation", d), 6);
            var weighIn = Row(db, "SELECT WeightLb FROM weight WHERE Date = $f ORDER BY julianday(LocalTime) DESC", d);
            if (weighIn.Length > 0) Assert.Equal(Convert.ToDouble(weighIn[0]), Value(values, "weight", "Weight", d));
            else Assert.False(values.GetProperty("weight").GetProperty("Weight").TryGetProperty(d, out _), $"no weigh-in on {d}, but the chart has one");
            var fat = Row(db, "SELECT BodyFatPercent FROM weight WHERE Date = $f AND BodyFatPercent IS NOT NULL ORDER BY julianday(LocalTime) DESC", d);
            if (fat.Length > 0) Assert.Equal(Convert.ToDouble(fat[0]), Value(values, "body-fat", "Body fat", d));
            else Assert.False(values.GetProperty("body-fat").GetProperty("Body fat").TryGetProperty(d, out _), $"no body fat on {d}, but the chart has one");
        }

        // The comparison table, every window, as SQL computes the averages over the days that have a value.
        var compare = root.GetProperty("compare").EnumerateArray().ToList();
        double Cell(string series, string window) => compare.Single(c => c.GetProperty("series").GetString() == series && c.GetProperty("window").GetString() == window).GetProperty("value").GetDouble();
        var windows = new[] { ("Last 30 days", 0, 30), ("30 days before", 30, 30), ("Last 90 days", 0, 90), ("90 days before", 90, 90) };
        foreach (var (window, back, length) in windows)
        {
            var w = (From: Day(ReportStores.LastDay.AddDays(-(back + length - 1))), To: Day(ReportStores.LastDay.AddDays(-back)));
            Assert.Equal(Math.Round(Scalar(db, "SELECT avg(Steps) FROM activity WHERE Date BETWEEN $f AND $t", w), 0, MidpointRounding.AwayFromZero), Cell("steps", window));
            Assert.Equal(Math.Round(Scalar(db, "SELECT avg(m) FROM (SELECT sum(MinutesAsleep) AS m FROM sleep_sessions WHERE Date BETWEEN $f AND $t AND IsMainSleep = 1 GROUP BY Date)", w), 0, MidpointRounding.AwayFromZero),
                Cell("sleepAsleep", window));
            Assert.Equal(Math.Round(Scalar(db, "SELECT avg(b) FROM (SELECT (SELECT BeatsPerMinute FROM resting_heart_rate r WHERE r.Date = d.Date ORDER BY Source LIMIT 1) AS b FROM (SELECT DISTINCT Date FROM resting_heart_rate WHERE Date BETWEEN $f AND $t) d)", w), 1, MidpointRounding.AwayFromZero),
                Cell("restingHeartRate", window));
            Assert.Equal(Math.Round(Scalar(db, "SELECT avg(WeightLb) FROM weight w WHERE Date BETWEEN $f AND $t AND julianday(LocalTime) = (SELECT max(julianday(LocalTime)) FROM weight x WHERE x.Date = w.Date)", w), 1, MidpointRounding.AwayFromZero),
                Cell("weight", window));
            Assert.Equal(Math.Round(Scalar(db, "SELECT avg(DistanceMiles) FROM activity WHERE Date BETWEEN $f AND $t", w), 2, MidpointRounding.AwayFromZero), Cell("distance", window));
        }

        var png = File.ReadAllBytes(screenshot);
        Assert.True(png.Length > 50_000 && png[0] == 0x89 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', $"{screenshot} is not a page screenshot");
    }

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The clock time of a stored time, as minutes after noon (the page's bedtime axis).</summary>
    private static double MinutesAfterNoon(string localTime)
    {
        var clock = DateTimeOffset.Parse(localTime, CultureInfo.InvariantCulture).DateTime;
        return (clock.Hour * 60 + clock.Minute + 720) % 1440;
    }

    private static double Value(JsonElement values, string chart, string series, string day) =>
        values.GetProperty(chart).GetProperty(series).TryGetProperty(day, out var v) ? v.GetDouble()
            : throw new Xunit.Sdk.XunitException($"the {chart} chart holds no {series} value on {day}");

    private static long Count(Microsoft.Data.Sqlite.SqliteConnection db, string sql, (string From, string To) range) => (long)Scalar(db, sql, range);

    private static double Scalar(Microsoft.Data.Sqlite.SqliteConnection db, string sql, (string From, string To) range)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$f", range.From);
        command.Parameters.AddWithValue("$t", range.To);
        return Convert.ToDouble(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<object[]> Rows(Microsoft.Data.Sqlite.SqliteConnection db, string sql, string day)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$f", day);
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read()) { var row = new object[reader.FieldCount]; reader.GetValues(row); rows.Add(row); }
        return rows;
    }

    private static object[] Row(Microsoft.Data.Sqlite.SqliteConnection db, string sql, string day)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$f", day);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return Array.Empty<object>();
        var row = new object[reader.FieldCount];
        reader.GetValues(row);
        return row;
    }
}

/// <summary>Runs tests/report/check-report.mjs (Node + playwright-core + Debian's chromium) on a report.</summary>
internal static class Browser
{
    public static JsonDocument Check(string report, string screenshot, params string[] days)
    {
        string root = BuiltModule.RepoRoot;
        if (!Directory.Exists(Path.Combine(root, "node_modules", "playwright-core")))
            throw new InvalidOperationException("node_modules/playwright-core is missing: run `npm ci` in the repository (.ci/run and test.sh do).");
        string chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"{chromium} is missing: install Debian's chromium (apt-get install chromium; .ci/run does), or set CHROMIUM.");
        var (code, stdout, stderr) = Node.Run(Path.Combine("tests", "report", "check-report.mjs"), new[] { report, screenshot }.Concat(days).ToArray());
        if (code != 0) throw new InvalidOperationException($"check-report.mjs failed ({code}): {stderr}\n{stdout}");
        return JsonDocument.Parse(stdout);
    }
}

/// <summary>Runs a script of the repository with node, in the repository's folder (where node_modules is).</summary>
internal static class Node
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string script, params string[] arguments)
    {
        string root = BuiltModule.RepoRoot;
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        psi.ArgumentList.Add(Path.Combine(root, script));
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        if (!node.WaitForExit(180_000)) { node.Kill(true); throw new TimeoutException($"node {script} did not finish in 3 minutes"); }
        node.WaitForExit();
        return (node.ExitCode, stdout.Result, stderr.Result);
    }
}
