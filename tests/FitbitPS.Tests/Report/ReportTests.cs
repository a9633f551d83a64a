using System.Text.RegularExpressions;
using FitbitPS.Engine;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Report;
using FitbitPS.Tests.Export;
using FitbitPS.Tests.Module;
using FitbitPS.Tests.Readers;
using Xunit;

namespace FitbitPS.Tests.Report;

/// <summary>The report's engine without a browser: units, no-data sentences, escaping, ranges, and the vendored library.</summary>
public class ReportTests
{
    private static readonly DateTime LastDay = new(2026, 11, 19);

    private static async Task<TempFolder> StoreOf(params string[] kinds)
    {
        var folder = new TempFolder();
        await using var h = await ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; });
        await h.Connection.ExportAsync(new ExportSpec { Path = folder.Path, DataTypes = kinds, From = LastDay.AddDays(-13), To = LastDay }, null, default);
        return folder;
    }

    private static string DataOf(string html) =>
        Regex.Match(html, "<script type=\"application/json\" id=\"fitbitps-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;

    [Fact]
    public async Task A_kind_the_store_lacks_is_a_sentence_on_the_page_and_the_units_follow_the_kept_settings_or_the_request()
    {
        using var folder = await StoreOf("Activity", "Sleep");
        var result = FitbitReport.Write(new ReportSpec { Path = folder.Path }, default);
        Assert.Equal(new[] { "steps-calendar", "steps", "azm", "sleep", "sleep-times" }, result.Charts.Keys);
        Assert.Equal(new[] { "weight", "body-fat", "resting-hr", "hrv", "spo2", "breathing", "skin-temp", "day" }, result.Empty);
        Assert.All(result.Charts.Values, points => Assert.Equal(14, points));
        var html = File.ReadAllText(result.Path);
        Assert.Contains("data-no-data=\"weight\">No data: the store holds no weigh-ins for 2026-11-06 – 2026-11-19. Export-FitbitData -DataType Weight brings them.", html);
        Assert.Contains("data-no-data=\"day\">No data: the store holds no heart rate or steps by minute on any day of 2026-11-06 – 2026-11-19.", html);
        Assert.DoesNotContain("data-chart=\"weight\"", html);
        Assert.Contains("\"charts\":[\"steps-calendar\",\"steps\",\"azm\",\"sleep\",\"sleep-times\"]", DataOf(html));
        Assert.DoesNotContain("\"weight\":[", DataOf(html));
        // Daily kinds need no time zone: the export kept no settings answer, so the units are this computer's region's.
        Assert.Contains("this computer&#39;s region", html);

        // An export that reads by physical time keeps the settings answer: the emulator's account is in pounds, miles, °F.
        await using (var h = await ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; }))
            await h.Connection.ExportAsync(new ExportSpec { Path = folder.Path, DataTypes = new[] { "Weight", "SkinTemperature", "HeartRateIntraday" }, From = LastDay.AddDays(-1), To = LastDay }, null, default);
        var account = FitbitReport.Write(new ReportSpec { Path = folder.Path }, default);
        Assert.Equal("lb, mi, °F", account.Units);
        Assert.Contains("Weight (lb) with trend", File.ReadAllText(account.Path));
        Assert.Contains("(Fitbit account settings)", File.ReadAllText(account.Path));
        Assert.Equal("kg, km, °C", FitbitReport.Write(new ReportSpec { Path = folder.Path, Units = ReportUnitSystem.Metric }, default).Units);
        Assert.Equal("lb, mi, °F", FitbitReport.Write(new ReportSpec { Path = folder.Path, Units = ReportUnitSystem.Imperial }, default).Units);

        // The day by minute is the last day with minutes, or the one asked for; a day without any says so.
        Assert.Contains("Heart rate (bpm) and steps by minute, 2026-11-19", File.ReadAllText(account.Path));
        var other = FitbitReport.Write(new ReportSpec { Path = folder.Path, Day = LastDay.AddDays(-5) }, default);
        Assert.Contains("day", other.Empty);
        Assert.Contains("No data: the store holds no heart rate or steps by minute on 2026-11-14.", File.ReadAllText(other.Path));
    }

    [Theory]
    [InlineData("2026-11-18T23:15:00-05:00", 675)]   // bedtime before midnight
    [InlineData("2026-11-19T00:30:00-05:00", 750)]   // after midnight: the same line, no jump
    [InlineData("2026-11-19T06:45:00-05:00", 1125)]
    [InlineData("2026-11-19T12:30:00-05:00", 30)]    // just past noon (a wake time that late is moved a day on, see ReportDataReader)
    [InlineData("2026-07-04T11:59:00+02:00", 1439)]  // the clock reading in the zone the person was in, whatever the offset
    public void Bed_and_wake_times_are_clock_times_from_noon_to_noon(string stored, double minutesAfterNoon) =>
        Assert.Equal(minutesAfterNoon, ReportDataReader.MinutesAfterNoon(stored));

    [Theory]
    [InlineData("2026-11-19T00:00:00-05:00", "2026-11-19T13:30:15-05:00", 48615)]
    // 1 November 2026, New York: clocks go back at 02:00 EDT. 01:30 EST is 2.5 h after midnight EDT, not 1.5 h.
    [InlineData("2026-11-01T00:00:00-04:00", "2026-11-01T01:30:00-05:00", 9000)]
    [InlineData("2026-11-01T00:00:00-04:00", "2026-11-01T01:30:00-04:00", 5400)]
    // 8 March 2026: clocks go forward at 02:00 EST; 03:30 EDT is 2.5 h after midnight.
    [InlineData("2026-03-08T00:00:00-05:00", "2026-03-08T03:30:00-04:00", 9000)]
    public void A_day_by_minute_is_real_time_from_the_persons_midnight_so_a_clock_change_stays_in_order(string midnight, string time, int seconds) =>
        Assert.Equal(seconds, ReportDataReader.SecondsAfter(DateTimeOffset.Parse(midnight, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Nothing_in_the_data_can_end_the_script_element_or_inject_markup()
    {
        var data = new ReportData
        {
            Profile = "</script><script>alert(1)</script>", From = LastDay.AddDays(-1), To = LastDay,
            Units = new ReportUnits(),
        };
        data.Daily[ReportData.Series.Steps] = new double?[] { 1000, null };
        var html = ReportPage.Render(data, ReportCharts.All(data.Units), DateTimeOffset.Now);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Equal(3, Regex.Matches(html, "</script>").Count); // the data's, the library's and the page's own
        Assert.Contains("\\u003c/script\\u003e", DataOf(html));
        Assert.Contains("&lt;/script&gt;", html);
        Assert.Contains("\"steps\":[1000,null]", DataOf(html));
    }

    [Fact]
    public async Task The_range_defaults_to_the_stores_days_and_a_bad_one_is_one_clear_error_with_nothing_written()
    {
        using var folder = await StoreOf("Activity");
        var all = FitbitReport.Write(new ReportSpec { Path = folder.Path }, default);
        Assert.Equal((LastDay.AddDays(-13), LastDay), (all.From, all.To));
        var last = FitbitReport.Write(new ReportSpec { Path = folder.Path, Days = 5 }, default);
        Assert.Equal((LastDay.AddDays(-4), LastDay), (last.From, last.To));
        Assert.Equal(5, last.Charts["steps"]);

        string outFile = Path.Combine(folder.Path, "r.html");
        var reversed = Assert.Throws<FitbitPS.Engine.Core.FitbitInputException>(() =>
            FitbitReport.Write(new ReportSpec { Path = folder.Path, OutFile = outFile, From = LastDay, To = LastDay.AddDays(-3) }, default));
        Assert.Equal("FitbitInvalidRange", reversed.ErrorId);
        var missing = Assert.Throws<ExportException>(() =>
            FitbitReport.Write(new ReportSpec { Path = folder.Path, OutFile = Path.Combine(folder.Path, "no", "r.html") }, default));
        Assert.Equal(ExportErrorKind.InvalidPath, missing.Reason);
        Assert.False(File.Exists(outFile));
        Assert.Empty(Directory.EnumerateFiles(folder.Path, ExportFolder.TempPrefix + "*"));
    }

    [Fact]
    public async Task Each_person_of_a_shared_store_gets_a_report_of_their_own_next_to_their_files()
    {
        using var folder = new TempFolder();
        await using (var h = await ReaderHarness.StartAsync(o => { o.QuotaPerMinute = 0; }))
            foreach (var profile in new[] { "anna", "ben" })
            {
                using var connection = h.Connect(h.Emulator.Person.Options.HealthUserId + "-" + profile, profile);
                await connection.ExportAsync(new ExportSpec { Path = folder.Path, DataTypes = new[] { "Activity" }, From = LastDay.AddDays(-6), To = LastDay }, null, default);
            }
        var profileMissing = Assert.Throws<ExportException>(() => FitbitReport.Write(new ReportSpec { Path = folder.Path }, default));
        Assert.Equal(ExportErrorKind.ProfileNotInStore, profileMissing.Reason); // two people: say whose

        var anna = FitbitReport.Write(new ReportSpec { Path = folder.Path, Profile = "anna" }, default);
        var ben = FitbitReport.Write(new ReportSpec { Path = folder.Path, Profile = "ben" }, default);
        Assert.Equal(Path.Combine(folder.Path, FitbitReport.DefaultFileName), anna.Path);           // the first person's files are in the folder
        Assert.Equal(Path.Combine(Path.GetDirectoryName(Directory.GetFiles(folder.Path, "activity.csv", SearchOption.AllDirectories)
            .Single(f => Path.GetDirectoryName(f) != folder.Path))!, FitbitReport.DefaultFileName), ben.Path); // a later one's in their sub-folder
        Assert.Equal(ben.Path, FitbitReport.OutFileOf(new ReportSpec { Path = folder.Path, Profile = "ben" }));
        Assert.Contains("Profile <b>ben</b>", File.ReadAllText(ben.Path));
        Assert.Contains("Profile <b>anna</b>", File.ReadAllText(anna.Path));
    }

    /// <summary>The chart library inlined in every report is exactly what the versions pinned in package.json give
    /// (npm run vendor:check bundles it again with esbuild and compares), and the page carries its licences.</summary>
    [Fact]
    public void The_vendored_chart_library_is_the_pinned_packages_and_every_page_carries_its_licences()
    {
        string root = BuiltModule.RepoRoot;
        Assert.True(Directory.Exists(Path.Combine(root, "node_modules", "echarts")), "node_modules is missing: run `npm ci` (.ci/run and test.sh do)");
        var (code, stdout, stderr) = Node.Run(Path.Combine("tools", "report", "vendor.mjs"), "--check");
        Assert.True(code == 0, stdout + stderr);

        var pinned = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "package.json"))).RootElement.GetProperty("devDependencies").GetProperty("echarts").GetString();
        Assert.Equal(pinned, ReportPage.EChartsVersion);
        var data = new ReportData { Profile = "p", From = LastDay, To = LastDay, Units = new ReportUnits() };
        var html = ReportPage.Render(data, ReportCharts.All(data.Units), DateTimeOffset.Now);
        Assert.Contains(ReportPage.Asset("vendor/echarts/echarts.min.js"), html);
        Assert.Contains("Apache License", html);
        Assert.Contains("Copyright (c) 2017, Baidu Inc.", html); // ZRender's BSD licence
        Assert.Contains("Apache ECharts " + pinned, html);
    }
}
