using FitbitPS.Engine;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Export;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Data;
using Xunit;

namespace FitbitPS.Tests.Export;

/// <summary>
/// Every export kind, with and without the intraday ones, against the emulator at its live strictness
/// (short and empty pages, page-boundary drops, 5,000-point heart-rate pages, unpaged roll-ups): the files
/// hold exactly the rows the readers give for the range — which the reader tests hold to the ground truth —
/// and the ground truth itself where it is cheap to state (steps per day, heart-rate samples per civil day),
/// over one day, a month across both DST changes and the Berlin trip, and (daily kinds) a year.
/// </summary>
public class LiveRulesExportTests
{
    public static readonly TheoryData<string, string, bool> Ranges = new()
    {
        { "2026-03-29", "2026-03-29", true },  // a Berlin day with the EU DST change
        { "2026-03-15", "2026-04-13", true },  // both DST changes and the whole trip, minute activity and raw heart rate included
        { "2025-11-20", "2026-11-19", false }, // a year of the daily kinds
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Every_kind_holds_the_readers_rows_and_the_ground_truth(string from, string to, bool includeIntraday)
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var dir = new TempFolder();
        var range = new CivilRange(DateTime.Parse(from), DateTime.Parse(to));
        var results = await h.Connection.ExportAsync(
            new ExportSpec { Path = dir.Path, IncludeIntraday = includeIntraday, From = range.From, To = range.To }, null, default);
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(ExportKinds.DataTypes.Count - (includeIntraday ? 0 : 2), results.Count);
        Assert.DoesNotContain(h.Emulator.Requests.HealthApi, r => r.Status is >= 400 and < 500 and not 429 and not 401);

        // A fresh reader on the same emulator: the rows each kind must hold.
        var reader = h.Connection.OpenReader();
        var expected = new Dictionary<string, int>
        {
            ["Weight"] = reader.ReadBodyWeight(range, default).Records().Count,
            ["Activity"] = reader.ReadActivityDays(range, default).Records().Count,
            ["Sleep"] = reader.ReadSleep(range, default).Records().Count,
            ["SleepStage"] = reader.ReadSleepStages(range, default).Records().Count,
            ["RestingHeartRate"] = reader.ReadRestingHeartRate(range, default).Records().Count,
            ["HeartRateVariability"] = reader.ReadHeartRateVariability(range, default).Records().Count,
            ["OxygenSaturation"] = reader.ReadOxygenSaturation(range, default).Records().Count,
            ["BreathingRate"] = reader.ReadBreathingRate(range, default).Records().Count,
            ["SkinTemperature"] = reader.ReadSkinTemperature(range, default).Records().Count,
            ["CardioFitness"] = reader.ReadCardioFitness(range, default).Records().Count,
            ["Exercise"] = reader.ReadExercise(range, default).Records().Count,
        };
        foreach (var r in results.Where(r => expected.ContainsKey(r.Kind)))
        {
            Assert.Equal(expected[r.Kind], r.RowsTotal);
            Assert.Equal(expected[r.Kind], File.ReadAllLines(r.File).Length - 1);
        }

        // Ground truth: the steps of each day, and (intraday) every heart-rate sample of each civil day.
        var activity = File.ReadAllLines(results.Single(r => r.Kind == "Activity").File);
        var header = activity[0].Split(',');
        int dateCol = Array.IndexOf(header, "Date"), stepsCol = Array.IndexOf(header, "Steps");
        foreach (var line in activity.Skip(1))
        {
            var cells = line.Split(',');
            var day = DateOnly.Parse(cells[dateCol]);
            Assert.Equal(h.Emulator.Person.Day(day).Steps, long.Parse(cells[stepsCol]));
        }
        if (!includeIntraday) return;
        var samples = File.ReadAllLines(results.Single(r => r.Kind == "HeartRateIntraday").File);
        var perDay = samples.Skip(1).GroupBy(l => l.Split(',')[0]).ToDictionary(g => DateTime.Parse(g.Key), g => g.Count());
        var truth = h.Emulator.Person.HeartRateSamples(h.HomeMidnight(range.From).AddDays(-1), h.HomeMidnight(range.EndExclusive).AddDays(1))
            .Select(s => (s.At + s.UtcOffset).UtcDateTime.Date).Where(d => d >= range.From && d <= range.To)
            .GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(truth.OrderBy(kv => kv.Key), perDay.OrderBy(kv => kv.Key));
        var minutes = File.ReadAllLines(results.Single(r => r.Kind == "ActivityIntraday").File);
        var minuteHeader = minutes[0].Split(',');
        var minuteSteps = minutes.Skip(1).Sum(l => long.Parse(l.Split(',')[Array.IndexOf(minuteHeader, "Steps")]));
        Assert.Equal(h.Emulator.Person.Totals(h.HomeMidnight(range.From), h.HomeMidnight(range.EndExclusive)).Steps, minuteSteps);
    }
}
