using FitbitPS.Engine.Api;
using FitbitPS.Engine.Records;
using Xunit;

namespace FitbitPS.Tests.Readers;

public class MeasurementReaderTests
{
    [Fact]
    public async Task Weigh_ins_carry_body_fat_bmi_and_both_units_at_the_minimum_request_count()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2025, 1, 1), new DateTime(2025, 12, 31));
        var weights = h.Reader.ReadBodyWeight(range, CancellationToken.None).Records();

        var from = h.HomeMidnight(range.From.AddDays(-2));
        var to = h.HomeMidnight(range.EndExclusive.AddDays(2));
        var truth = h.Emulator.Person.WeighIns(from, to)
            .Where(w => { var d = (w.At + w.UtcOffset).UtcDateTime.Date; return d >= range.From && d <= range.To; }).ToList();
        Assert.NotEmpty(truth);
        Assert.Equal(truth.Count, weights.Count);
        for (int i = 0; i < truth.Count; i++)
        {
            var t = truth[i];
            var w = weights[i];
            Assert.Equal(t.At, w.LocalTime);
            Assert.Equal(t.UtcOffset, w.LocalTime.Offset);
            Assert.Equal((t.At + t.UtcOffset).UtcDateTime.Date, w.Date);
            Assert.Equal(Math.Round(t.WeightKg, 2, MidpointRounding.AwayFromZero), w.WeightKg);
            Assert.Equal(Math.Round(t.WeightKg * 1000 / 453.59237, 2, MidpointRounding.AwayFromZero), w.WeightLb);
            Assert.Equal(t.BodyFatPercent.HasValue, w.BodyFatPercent.HasValue);
            if (t.BodyFatPercent is double fat) Assert.Equal(Math.Round(fat, 1, MidpointRounding.AwayFromZero), w.BodyFatPercent);
            Assert.Equal(Math.Round(t.WeightKg / (1.78 * 1.78), 1, MidpointRounding.AwayFromZero), w.Bmi);
            Assert.False(string.IsNullOrEmpty(w.Source));
        }
        var (weightRequests, fatRequests) = (h.RequestsFor("weight"), h.RequestsFor("body-fat"));
        Assert.Equal(1, h.RequestsFor("height")); // the latest height, for BMI
        // the pages Google serves for the filter, no more
        Assert.Equal(h.ServedPages("weight", ReaderHarness.CivilFilter(DataTypeCatalog.Weight, range)), weightRequests);
        Assert.Equal(h.ServedPages("body-fat", ReaderHarness.CivilFilter(DataTypeCatalog.BodyFat, range)), fatRequests);
    }

    [Fact]
    public async Task Five_years_of_resting_heart_rate_cost_one_request()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2021, 11, 21), new DateTime(2026, 11, 19));
        var days = h.Reader.ReadRestingHeartRate(range, CancellationToken.None).Records();
        var made = h.DataRequests;
        // one date filter: the pages Google serves for it (it cuts 1,800 days into short pages)
        Assert.Equal(h.ServedPages("daily-resting-heart-rate", ReaderHarness.CivilFilter(DataTypeCatalog.DailyRestingHeartRate, range)), made);
        Assert.InRange(made, 1, 3);
        Assert.True(days.Count > 1500, $"{days.Count} days");
        Assert.Equal(days.OrderBy(d => d.Date).Select(d => d.Date), days.Select(d => d.Date));
        foreach (var d in days.Where((_, i) => i % 17 == 0))
            Assert.Equal(h.Emulator.Person.Day(DateOnly.FromDateTime(d.Date)).RestingHeartRate, (int)d.BeatsPerMinute);
    }

    [Fact]
    public async Task Daily_measurements_read_in_one_request_each()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 8, 1), new DateTime(2026, 10, 31));
        var hrv = h.Reader.ReadHeartRateVariability(range, CancellationToken.None).Records();
        var spo2 = h.Reader.ReadOxygenSaturation(range, CancellationToken.None).Records();
        var breathing = h.Reader.ReadBreathingRate(range, CancellationToken.None).Records();
        var skin = h.Reader.ReadSkinTemperature(range, CancellationToken.None).Records();
        var vo2 = h.Reader.ReadCardioFitness(range, CancellationToken.None).Records();
        var made = h.DataRequests;
        var types = new[] { DataTypeCatalog.DailyHeartRateVariability, DataTypeCatalog.DailyOxygenSaturation, DataTypeCatalog.DailyRespiratoryRate,
            DataTypeCatalog.DailySleepTemperatureDerivations, DataTypeCatalog.DailyVo2Max };
        Assert.Equal(types.Sum(t => h.ServedPages(t.Id, ReaderHarness.CivilFilter(t, range))), made); // one filter each, its pages
        foreach (var dates in new[] { hrv.Select(x => x.Date), spo2.Select(x => x.Date), breathing.Select(x => x.Date), skin.Select(x => x.Date), vo2.Select(x => x.Date) })
        {
            var list = dates.ToList();
            Assert.NotEmpty(list);
            Assert.All(list, d => Assert.InRange(d, range.From, range.To));
            Assert.Equal(list.OrderBy(d => d), list);
        }
        Assert.All(hrv, x => Assert.InRange(x.RmssdMilliseconds!.Value, 5, 200));
        Assert.All(spo2, x => Assert.InRange(x.AveragePercent!.Value, 80, 100));
        Assert.All(breathing, x => Assert.InRange(x.BreathsPerMinute!.Value, 5, 40));
        Assert.All(skin.Where(x => x.NightlyCelsius.HasValue && x.BaselineCelsius.HasValue),
            x => Assert.Equal(Math.Round(x.NightlyCelsius!.Value - x.BaselineCelsius!.Value, 2), x.VariationCelsius!.Value, 2));
        Assert.All(vo2, x => Assert.InRange(x.Vo2Max!.Value, 20, 80));
    }

    [Fact]
    public async Task Heart_rate_per_hour_splits_at_fourteen_days()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 7, 1), new DateTime(2026, 8, 31)); // 62 days
        var hours = h.Reader.ReadHeartRateIntervals(range, IntradayInterval.Hour, CancellationToken.None).Records();
        Assert.Equal(RequestPlanner.MinimumRequests(DataTypeCatalog.HeartRate, DataTypeMethods.RollUp, range, hours.Count, TimeSpan.FromHours(1)), h.RequestsFor("heart-rate"));
        Assert.Equal(5, h.RequestsFor("heart-rate"));
        Assert.Equal(hours.OrderBy(x => x.Start).Select(x => x.Start), hours.Select(x => x.Start));
        Assert.Equal(hours.Count, hours.Select(x => x.Start).Distinct().Count()); // no window twice across chunk edges
        Assert.All(hours, x => Assert.True(x.MinBpm <= x.AverageBpm && x.AverageBpm <= x.MaxBpm));
        Assert.Equal(range.From, hours[0].Date);
        Assert.Equal(range.To, hours[^1].Date);
    }

    [Fact]
    public async Task Raw_heart_rate_pages_across_boundaries_in_ascending_order()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 3, 27), new DateTime(2026, 3, 30)); // in Berlin, EU DST on the 29th
        var samples = h.Reader.ReadHeartRateSamples(range, CancellationToken.None).Records();

        var truth = h.Emulator.Person.HeartRateSamples(h.HomeMidnight(range.From).AddDays(-1), h.HomeMidnight(range.EndExclusive).AddDays(1))
            .Where(s => { var d = (s.At + s.UtcOffset).UtcDateTime.Date; return d >= range.From && d <= range.To; }).ToList();
        Assert.True(truth.Count > 20000, $"{truth.Count} samples");
        Assert.Equal(truth.Count, samples.Count);
        // The home zone's days, then the hours of the first Berlin day before New York's midnight: two filters.
        var made = h.RequestsFor("heart-rate");
        var firstStart = new DateTimeOffset(range.From, TimeSpan.FromHours(1));
        Assert.Equal(h.ServedPages("heart-rate", h.PhysicalFilter(DataTypeCatalog.HeartRate, range))
                     + h.ServedPages("heart-rate", DataTypeCatalog.HeartRate.PhysicalFilter(firstStart, h.HomeMidnight(range.From))), made);
        Assert.True(made >= (truth.Count + 4999) / 5000);
        for (int i = 0; i < truth.Count; i++)
        {
            Assert.Equal(truth[i].At, samples[i].Time);
            Assert.Equal(truth[i].UtcOffset, samples[i].Time.Offset);
            Assert.Equal(truth[i].BeatsPerMinute, samples[i].BeatsPerMinute);
        }
        Assert.Contains(samples, s => s.Time.Offset == TimeSpan.FromHours(1));
        Assert.Contains(samples, s => s.Time.Offset == TimeSpan.FromHours(2));
    }
}

/// <summary>Measures the process's live heap, so it must not run beside other tests.</summary>
[CollectionDefinition("Live heap", DisableParallelization = true)]
public class LiveHeapCollection { }

[Collection("Live heap")]
public class StreamingMemoryTests
{
    [Fact]
    public async Task Raw_heart_rate_streams_with_memory_that_does_not_grow_with_the_range()
    {
        await using var h = await ReaderHarness.StartAsync();
        // Live heap (after full collections, so not timing-dependent) while streaming a short and a long range.
        var (shortPeak, shortCount) = PeakLiveGrowth(h, new CivilRange(new DateTime(2026, 6, 1), new DateTime(2026, 6, 3)));
        var (longPeak, longCount) = PeakLiveGrowth(h, new CivilRange(new DateTime(2026, 6, 4), new DateTime(2026, 7, 3)));
        Assert.True(longCount > 8 * shortCount, $"{shortCount} vs {longCount} points");
        Assert.True(h.RequestsFor("heart-rate") >= 18);
        // Holding the long range would cost at least its JSON (≈ 340 bytes a point): ≈ 55 MB here.
        // Streaming holds about one page (≈ 3.4 MB of JSON and its records) whatever the range.
        long heldLong = longCount * 340;
        var message = $"peak live growth {shortPeak / 1024} KiB for {shortCount} points, {longPeak / 1024} KiB for {longCount} points (holding them: {heldLong / 1024} KiB)";
        Assert.True(longPeak < heldLong / 5, message);
        Assert.True(longPeak - shortPeak < heldLong / 8, message);
    }

    private static (long Peak, long Count) PeakLiveGrowth(ReaderHarness h, CivilRange range)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, count = 0;
        foreach (var item in h.Reader.ReadHeartRateSamples(range, CancellationToken.None))
        {
            Assert.False(item.IsError);
            if (++count % 5000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
        }
        return (peak, count);
    }
}
