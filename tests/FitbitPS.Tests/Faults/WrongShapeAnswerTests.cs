using FitbitPS.Engine;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Export;
using FitbitPS.Tests.Export;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Faults;
using Xunit;

namespace FitbitPS.Tests.Faults;

/// <summary>
/// A 200 whose body is well-formed JSON of the wrong shape ({"dataPoints":"oops"}), or an empty {} where
/// Google had data (a proxy's answer, a chain cut short), must never become days read as empty and marked
/// complete: the first is a broken answer (asked again, then an error), the second is asked once more
/// before it counts. Issue 11, item 1.
/// </summary>
public class WrongShapeAnswerTests
{
    private static readonly CivilRange Year = new(new DateTime(2025, 11, 20), new DateTime(2026, 11, 19));

    private static Task<IReadOnlyList<ExportResult>> Export(ReaderHarness h, string path, string kind) =>
        h.Connection.ExportAsync(new ExportSpec { Path = path, DataTypes = new[] { kind }, From = Year.From, To = Year.To }, null, default);

    /// <summary>The rows a clean read gives (a second reader on the same emulator, after the faults are used up).</summary>
    private static int CleanWeighIns(ReaderHarness h) => h.Connection.OpenReader().ReadBodyWeight(Year, default).Records().Count;

    [Fact]
    public async Task A_persistently_broken_answer_fails_the_kind_marks_nothing_complete_and_the_next_run_restores_every_row()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var dir = new TempFolder();
        h.Emulator.Faults.AddResponse(200, "{\"dataPoints\":\"oops\"}", count: 1000, pathContains: "/dataTypes/weight/dataPoints");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Export(h, dir.Path, "Weight"));
        Assert.Contains("malformed answer", failure.Message);
        Assert.Contains("weight", failure.Message);
        // Nothing was marked complete: no state entry for Weight, no file.
        Assert.DoesNotContain("Weight", FitbitPS.Tests.Export.StoreDump.Kinds(dir.Path));
        Assert.False(File.Exists(Path.Combine(dir.Path, "weight.csv")));

        h.Emulator.Faults.Clear();
        var results = await Export(h, dir.Path, "Weight");
        Assert.Equal(CleanWeighIns(h), results.Single().RowsTotal);
    }

    [Theory]
    [InlineData("{\"dataPoints\":\"oops\"}")] // broken: asked again
    [InlineData("{}")]                         // "nothing": asked once more before it counts
    public async Task A_wrong_shape_or_empty_weight_answer_once_loses_no_row(string body)
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var dir = new TempFolder();
        var fault = h.Emulator.Faults.AddResponse(200, body, pathContains: "/dataTypes/weight/dataPoints");

        var results = await Export(h, dir.Path, "Weight");

        Assert.Equal(1, fault.Hits);
        var expected = CleanWeighIns(h);
        Assert.True(expected > 30, $"the person has {expected} weigh-ins in the year");
        Assert.Equal(expected, results.Single().RowsTotal);
        Assert.Equal(expected, File.ReadAllLines(results.Single().File).Length - 1);
    }

    [Fact]
    public async Task An_empty_answer_in_the_middle_of_a_page_chain_does_not_end_the_chain()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        // The second page of the sleep list (a request with a page token) answers {} once.
        var empty = h.Emulator.Faults.Add(FaultKind.Respond, 1, predicate: r =>
            r.Path.Value!.Contains("/dataTypes/sleep/dataPoints") && r.Query.ContainsKey("pageToken"));
        empty.Body = "{}";

        var sleeps = h.Reader.ReadSleep(Year, default).Records();

        Assert.Equal(1, empty.Hits);
        Assert.Equal(new FitbitReader(h.Client).ReadSleep(Year, default).Records().Count, sleeps.Count);
        Assert.True(sleeps.Count > 300);
    }

    [Fact]
    public async Task An_empty_roll_up_answer_is_asked_once_more_instead_of_days_without_calories()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        var range = new CivilRange(new DateTime(2026, 5, 1), new DateTime(2026, 5, 14));
        var empty = h.Emulator.Faults.AddResponse(200, "{}", pathContains: "/dataTypes/total-calories/dataPoints:dailyRollUp");

        var days = h.Reader.ReadActivityDays(range, default).Records();

        Assert.Equal(1, empty.Hits);
        Assert.Equal(14, days.Count);
        foreach (var day in days)
            Assert.InRange(day.CaloriesTotal!.Value - h.Emulator.Person.Day(DateOnly.FromDateTime(day.Date)).TotalKcal, -0.0501, 0.0501);
    }

    [Fact]
    public async Task A_genuinely_empty_range_costs_one_confirmation_and_reads_as_empty()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        // Before the account existed: Google has nothing, answers {} twice, and the read is empty without an error.
        var before = new CivilRange(new DateTime(2020, 1, 1), new DateTime(2020, 1, 7));
        Assert.Empty(h.Reader.ReadSleep(before, default).Records());
        Assert.Equal(2, h.RequestsFor("sleep"));
    }
}
