using FitbitPS.Engine.Export;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Takeout;
using FitbitPS.Tests.Export;
using FitbitPS.Tests.Readers;
using FitbitPS.Tests.Store;
using HealthApiEmulator.Data;
using Xunit;

namespace FitbitPS.Tests.Takeout;

public class TakeoutMergeTests
{
    [Fact]
    public void The_real_sample_files_give_the_values_computed_by_hand()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "reference", "takeout-samples");
        var options = new TakeoutReadOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), Today = new DateTime(2026, 11, 20) };
        var records = FitbitTakeout.Read(new[] { folder }, null, options, default).ToList();
        // weight-2024-03-21.json: pounds (BMI 33.28 at 219.5 is 1.73 m in lb, 2.57 m in kg); 219.5 lb × 0.45359237 = 99.5635 kg.
        var w = records.OfType<BodyWeight>().ToList();
        Assert.Equal(2, w.Count);
        Assert.Equal((new DateTime(2024, 3, 27), new DateTimeOffset(2024, 3, 27, 7, 20, 0, TimeSpan.FromHours(-4)), 99.56, 219.5, (double?)31.1, (double?)33.3, "Aria"),
            (w[0].Date, w[0].LocalTime, w[0].WeightKg, w[0].WeightLb, w[0].BodyFatPercent, w[0].Bmi, w[0].Source));
        // 218.4 lb × 0.45359237 = 99.0646 kg; fat 32.728 → 32.7; BMI 33.11 → 33.1.
        Assert.Equal((new DateTime(2024, 4, 7), new DateTimeOffset(2024, 4, 7, 17, 19, 17, TimeSpan.FromHours(-4)), 99.06, 218.4, (double?)32.7, (double?)33.1),
            (w[1].Date, w[1].LocalTime, w[1].WeightKg, w[1].WeightLb, w[1].BodyFatPercent, w[1].Bmi));
        // resting_heart_rate-2023-03-02.json: the days inside (not the file name's), 52.268 → 52, 53.273 → 53.
        Assert.Equal(new[] { (new DateTime(2024, 2, 28), 52L), (new DateTime(2024, 2, 29), 53L) },
            records.OfType<RestingHeartRate>().Select(r => (r.Date, r.BeatsPerMinute)));
    }

    [Fact]
    public async Task Takeout_and_API_in_one_store_equal_the_API_alone_where_they_overlap_and_a_reimport_adds_nothing()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var dir = new TempFolder();
        var kinds = new[] { "Activity", "Sleep", "SleepStage", "RestingHeartRate", "Weight" };
        await h.Connection.ExportAsync(new ExportSpec { Path = dir.Path, DataTypes = kinds, From = new DateTime(2026, 10, 1) }, null, default);
        const string Dump = "SELECT 'a', Date, Steps, CaloriesTotal FROM activity UNION ALL SELECT 's', Date, Start, MinutesAsleep FROM sleep_sessions " +
                            "UNION ALL SELECT 't', Date, Start, Stage FROM sleep_stages UNION ALL SELECT 'r', Date, BeatsPerMinute, Source FROM resting_heart_rate " +
                            "UNION ALL SELECT 'w', Date, LocalTime, Source FROM weight ORDER BY 1, 2, 3";
        var apiAlone = StoreDump.Rows(dir.Path, Dump);

        var zip = Path.Combine(dir.Path, "..", Path.GetFileName(dir.Path) + "-takeout.zip");
        TakeoutWriter.Write(h.Emulator.Person, zip, new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 19), TakeoutLayout.GoogleHealth);
        try
        {
            var options = new TakeoutReadOptions { Today = new DateTime(2026, 11, 20) };
            var first = await FitbitTakeout.ImportAsync(new[] { zip }, dir.Path, null, kinds, options, default);
            var merged = StoreDump.Rows(dir.Path, Dump);
            // Over the API's days (2026-10-01 ..) the store holds exactly what the API alone gave: nothing doubled, nothing replaced.
            Assert.Equal(apiAlone.Select(r => string.Join("|", r)), merged.Where(r => string.CompareOrdinal(r[1], "2026-10-01") >= 0).Select(r => string.Join("|", r)));
            // The Takeout filled the 30 September days before them.
            Assert.Equal(30, merged.Count(r => r[0] == "a" && string.CompareOrdinal(r[1], "2026-10-01") < 0));
            Assert.Equal(30, first.Single(r => r.Kind == "Activity").RowsAdded);
            Assert.All(first, r => Assert.True(r.From >= new DateTime(2026, 9, 1) && r.To <= new DateTime(2026, 9, 30), $"{r.Kind} {r.From}..{r.To}"));
            // The September days are the readers' values for those days.
            var api = h.Reader.ReadActivityDays(new FitbitPS.Engine.Api.CivilRange(new DateTime(2026, 9, 1), new DateTime(2026, 9, 30)), default).Records();
            Assert.Equal(api.Select(d => $"a|{d.Date:yyyy-MM-dd}|{d.Steps}"), merged.Where(r => r[0] == "a" && string.CompareOrdinal(r[1], "2026-10-01") < 0).Select(r => $"{r[0]}|{r[1]}|{r[2]}"));

            // An offline read counts the Takeout's days as held (no false "days missing" warning): the API's days joined with them.
            using (var reader = FitbitPS.Engine.FitbitStoreReader.Open(dir.Path, null))
            {
                var held = reader.Synced<ActivityDay>();
                Assert.NotNull(held);
                Assert.Equal(new DateTime(2026, 9, 1), held.Value.From);
                Assert.True(held.Value.To >= new DateTime(2026, 11, 19), $"{held}");
            }

            // Again: a no-op.
            var again = await FitbitTakeout.ImportAsync(new[] { zip }, dir.Path, null, kinds, options, default);
            Assert.All(again, r => Assert.Equal((r.Kind, 0L, 0L, 0L, false), (r.Kind, r.RowsAdded, r.RowsUpdated, r.RowsRemoved, r.Changed)));
            Assert.Equal(merged.Select(r => string.Join("|", r)), StoreDump.Rows(dir.Path, Dump).Select(r => string.Join("|", r)));
            // The derived file follows the store.
            Assert.Equal(1 + 30 + apiAlone.Count(r => r[0] == "a"), File.ReadAllLines(Path.Combine(dir.Path, "activity.csv")).Length);
        }
        finally { File.Delete(zip); }
    }

    [Fact]
    public async Task A_store_filled_by_a_Takeout_alone_holds_the_Takeout_days_for_offline_reads()
    {
        await using var h = await ReaderHarness.StartAsync(o => o.QuotaPerMinute = 0);
        using var dir = new TempFolder();
        var zip = Path.Combine(dir.Path, "..", Path.GetFileName(dir.Path) + "-takeout.zip");
        TakeoutWriter.Write(h.Emulator.Person, zip, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30), TakeoutLayout.GoogleHealth);
        try
        {
            var options = new TakeoutReadOptions { Today = new DateTime(2026, 11, 20) };
            await FitbitTakeout.ImportAsync(new[] { zip }, dir.Path, null, new[] { "Sleep", "RestingHeartRate" }, options, default);
            using var reader = FitbitPS.Engine.FitbitStoreReader.Open(dir.Path, null);
            // No sync state at all (the API never ran): the days are the rows' first and last.
            Assert.Equal((new DateTime(2026, 9, 1), new DateTime(2026, 9, 30)), reader.Synced<RestingHeartRate>());
            var sleep = reader.Synced<FitbitPS.Engine.Records.SleepSession>();
            Assert.NotNull(sleep);
            Assert.True(sleep.Value.From <= new DateTime(2026, 9, 2) && sleep.Value.To == new DateTime(2026, 9, 30), $"{sleep}");
            // A kind the Takeout did not put in: none.
            Assert.Null(reader.Synced<OxygenSaturation>());
        }
        finally { File.Delete(zip); }
    }
}
