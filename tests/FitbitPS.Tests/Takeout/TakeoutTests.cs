using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Takeout;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Data;
using Xunit;
using SleepSession = FitbitPS.Engine.Records.SleepSession;

namespace FitbitPS.Tests.Takeout;

/// <summary>The emulator's person read from a Takeout archive equals the same person read through the API, day by day.</summary>
public class TakeoutTests
{
    // US DST starts 2026-03-08, the yearly trip to Berlin is 03-20..04-03 (EU DST 03-29 inside it), US DST ends 11-01.
    private static readonly DateTime From = new(2026, 3, 1), To = new(2026, 11, 19);

    private static List<object> ReadTakeout(ReaderHarness h, TakeoutLayout layout, List<string>? warnings = null)
    {
        using var dir = new Export.TempFolder();
        var zip = Path.Combine(dir.Path, "takeout-20261120T170000Z-001.zip");
        TakeoutWriter.Write(h.Emulator.Person, zip, DateOnly.FromDateTime(From), DateOnly.FromDateTime(To), layout);
        var options = new TakeoutReadOptions
        {
            Today = new DateTime(2026, 11, 20),
            Log = (level, message) => { if (level == FitbitPS.Engine.Core.EngineLogLevel.Warning) warnings?.Add(message); },
        };
        return FitbitTakeout.Read(new[] { zip }, null, options, default).ToList();
    }

    [Fact]
    public async Task The_Google_Health_layout_equals_the_API_day_by_day_across_DST_changes_and_a_trip()
    {
        await using var h = await ReaderHarness.StartAsync();
        var warnings = new List<string>();
        var takeout = ReadTakeout(h, TakeoutLayout.GoogleHealth, warnings);
        Assert.Empty(warnings);
        var range = new CivilRange(From, To);

        var api = h.Reader.ReadActivityDays(range, default).Records().ToDictionary(d => d.Date);
        var days = takeout.OfType<ActivityDay>().Where(d => d.Date >= From && d.Date <= To).ToList();
        Assert.Equal(api.Count, days.Count);
        foreach (var t in days)
        {
            var a = api[t.Date];
            // Exact: counts and millimetres are integers summed per minute, the watch's value where worn, the phone's
            // where not, the Health Connect mirror never added.
            Assert.Equal((t.Date, a.Steps, a.DistanceKm, a.DistanceMiles, a.Floors, a.AzmFatBurn, a.AzmCardio, a.AzmPeak, a.AzmTotal),
                (t.Date, t.Steps, t.DistanceKm, t.DistanceMiles, t.Floors, t.AzmFatBurn, t.AzmCardio, t.AzmPeak, t.AzmTotal));
            // 0.1 kcal: both sum ~1,440 fractional per-minute values (in another order) before rounding to 0.1.
            Assert.InRange(t.CaloriesTotal!.Value - a.CaloriesTotal!.Value, -0.1001, 0.1001);
            Assert.InRange(t.CaloriesActive!.Value - a.CaloriesActive!.Value, -0.1001, 0.1001);
        }

        var sleeps = h.Reader.ReadSleep(range, default).Records();
        var tSleeps = takeout.OfType<SleepSession>().Where(s => s.Date >= From && s.Date <= To).ToList();
        Assert.True(sleeps.Count > 250 && sleeps.Any(s => !s.IsMainSleep), "naps and nights");
        Assert.Equal(sleeps.Select(SleepKey), tSleeps.Select(SleepKey));
        var stages = h.Reader.ReadSleepStages(range, default).Records();
        Assert.Equal(stages.Select(s => (s.Date, s.SleepStart, s.Start, s.End, s.Stage, s.Minutes)),
            takeout.OfType<SleepStage>().Where(s => s.Date >= From && s.Date <= To).Select(s => (s.Date, s.SleepStart, s.Start, s.End, s.Stage, s.Minutes)));

        Assert.Equal(h.Reader.ReadRestingHeartRate(range, default).Records().Select(r => (r.Date, r.BeatsPerMinute)),
            takeout.OfType<RestingHeartRate>().Select(r => (r.Date, r.BeatsPerMinute)));
        Assert.Equal(h.Reader.ReadHeartRateVariability(range, default).Records().Select(r => (r.Date, r.RmssdMilliseconds, r.DeepSleepRmssdMilliseconds, r.Entropy, r.NonRemHeartRateBpm)),
            takeout.OfType<HeartRateVariability>().Select(r => (r.Date, r.RmssdMilliseconds, r.DeepSleepRmssdMilliseconds, r.Entropy, r.NonRemHeartRateBpm)));
        Assert.Equal(h.Reader.ReadOxygenSaturation(range, default).Records().Select(r => (r.Date, r.AveragePercent, r.LowerBoundPercent, r.UpperBoundPercent, r.StandardDeviationPercent)),
            takeout.OfType<OxygenSaturation>().Select(r => (r.Date, r.AveragePercent, r.LowerBoundPercent, r.UpperBoundPercent, r.StandardDeviationPercent)));
        var weights = h.Reader.ReadBodyWeight(range, default).Records();
        Assert.True(weights.Count > 100);
        Assert.Equal(weights.Select(w => (w.Date, w.LocalTime, w.LocalTime.Offset, w.WeightKg, w.WeightLb, w.BodyFatPercent, w.Bmi, w.Source)),
            takeout.OfType<BodyWeight>().Select(w => (w.Date, w.LocalTime, w.LocalTime.Offset, w.WeightKg, w.WeightLb, w.BodyFatPercent, w.Bmi, w.Source)));
    }

    private static object SleepKey(SleepSession s) => (s.Date, s.Start, s.Start.Offset, s.End, s.End.Offset, s.MinutesAsleep, s.MinutesAwake, s.MinutesToFallAsleep,
        s.TimeInBedMinutes, s.IsMainSleep, s.Type, s.DeepMinutes, s.LightMinutes, s.RemMinutes, s.WakeMinutes, s.AsleepMinutes, s.RestlessMinutes);

    [Fact]
    public async Task The_legacy_Fitbit_layout_equals_the_API_on_home_days()
    {
        await using var h = await ReaderHarness.StartAsync();
        var warnings = new List<string>();
        var takeout = ReadTakeout(h, TakeoutLayout.Fitbit, warnings);
        Assert.Empty(warnings);
        var range = new CivilRange(From, To);
        // The legacy files carry no UTC offsets: days away (and the travel days either side) are read in the home zone,
        // so only home days can equal the API. The US DST changes are home days and are compared.
        var person = h.Emulator.Person;
        bool Home(DateTime d) => Enumerable.Range(-1, 3).All(i => person.TimeZoneOn(DateOnly.FromDateTime(d.AddDays(i))) == person.Options.TimeZone);

        var api = h.Reader.ReadActivityDays(range, default).Records().ToDictionary(d => d.Date);
        var days = takeout.OfType<ActivityDay>().Where(d => d.Date >= From && d.Date <= To && Home(d.Date)).ToList();
        Assert.True(days.Count > 240, $"{days.Count} home days of {takeout.OfType<ActivityDay>().Count()}: {string.Join(" ", takeout.GroupBy(r => r.GetType().Name).Select(g => g.Key + "=" + g.Count()))}");
        Assert.Contains(days, d => d.Date == new DateTime(2026, 3, 8));
        Assert.Contains(days, d => d.Date == new DateTime(2026, 11, 1));
        foreach (var t in days)
        {
            var a = api[t.Date];
            Assert.Equal((t.Date, a.Steps, a.DistanceKm, a.AzmFatBurn, a.AzmCardio, a.AzmPeak), (t.Date, t.Steps, t.DistanceKm, t.AzmFatBurn, t.AzmCardio, t.AzmPeak));
            Assert.InRange(t.CaloriesTotal!.Value - a.CaloriesTotal!.Value, -0.1001, 0.1001);
            Assert.Null(t.Floors); // the legacy tree has no floors family
        }
        var sleeps = h.Reader.ReadSleep(range, default).Records().Where(s => Home(s.Date)).ToList();
        Assert.Equal(sleeps.Select(SleepKey), takeout.OfType<SleepSession>().Where(s => s.Date >= From && Home(s.Date)).Select(SleepKey));
        Assert.Equal(h.Reader.ReadRestingHeartRate(range, default).Records().Select(r => (r.Date, r.BeatsPerMinute)),
            takeout.OfType<RestingHeartRate>().Select(r => (r.Date, r.BeatsPerMinute))); // the placeholder future day is dropped
        Assert.Equal(h.Reader.ReadHeartRateVariability(range, default).Records().Select(r => (r.Date, r.RmssdMilliseconds, r.Entropy, r.NonRemHeartRateBpm)),
            takeout.OfType<HeartRateVariability>().Select(r => (r.Date, r.RmssdMilliseconds, r.Entropy, r.NonRemHeartRateBpm)));
        Assert.Equal(h.Reader.ReadOxygenSaturation(range, default).Records().Select(r => (r.Date, r.AveragePercent, r.LowerBoundPercent, r.UpperBoundPercent)),
            takeout.OfType<OxygenSaturation>().Select(r => (r.Date, r.AveragePercent, r.LowerBoundPercent, r.UpperBoundPercent)));
        Assert.Equal(h.Reader.ReadBodyWeight(range, default).Records().Where(w => Home(w.Date)).Select(w => (w.Date, w.LocalTime, w.WeightKg, w.BodyFatPercent)),
            takeout.OfType<BodyWeight>().Where(w => Home(w.Date)).Select(w => (w.Date, w.LocalTime, w.WeightKg, w.BodyFatPercent)));
    }
}
