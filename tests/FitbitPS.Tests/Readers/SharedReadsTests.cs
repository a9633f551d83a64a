using FitbitPS.Engine.Api;
using HealthApiEmulator.Faults;
using Xunit;

namespace FitbitPS.Tests.Readers;

/// <summary>FitbitReader.ShareReads: what an export run uses so that sleep sessions and stages, and a
/// change probe and the full read after it, cost one read.</summary>
public class SharedReadsTests
{
    private static readonly CivilRange Quarter = new(new DateTime(2026, 2, 1), new DateTime(2026, 4, 30)); // several pages of 25 sleeps

    [Fact]
    public async Task Sessions_and_stages_of_the_same_days_cost_the_sleep_pages_once_inside_a_scope_and_twice_outside()
    {
        await using var h = await ReaderHarness.StartAsync();
        var sessions = h.Reader.ReadSleep(Quarter, CancellationToken.None).Records();
        var stages = h.Reader.ReadSleepStages(Quarter, CancellationToken.None).Records();
        int unshared = h.RequestsFor("sleep");
        Assert.True(unshared >= 4, $"{unshared} requests: needs several pages");

        int before = h.RequestsFor("sleep");
        List<Engine.Records.SleepSession> sharedSessions;
        List<Engine.Records.SleepStage> sharedStages;
        using (h.Reader.ShareReads())
        {
            sharedSessions = h.Reader.ReadSleep(Quarter, CancellationToken.None).Records();
            sharedStages = h.Reader.ReadSleepStages(Quarter, CancellationToken.None).Records();
        }
        Assert.Equal(unshared / 2, h.RequestsFor("sleep") - before);
        // The replayed pages give the same records, oldest first.
        Assert.Equal(sessions.Select(s => (s.Start, s.End, s.MinutesAsleep)), sharedSessions.Select(s => (s.Start, s.End, s.MinutesAsleep)));
        Assert.Equal(stages.Select(s => (s.Start, s.Stage)), sharedStages.Select(s => (s.Start, s.Stage)));

        // After the scope every read asks the API again.
        before = h.RequestsFor("sleep");
        h.Reader.ReadSleep(Quarter, CancellationToken.None).Records();
        Assert.Equal(unshared / 2, h.RequestsFor("sleep") - before);
    }

    [Fact]
    public async Task A_failed_read_is_not_kept_and_other_days_are_read_again()
    {
        await using var h = await ReaderHarness.StartAsync();
        using (h.Reader.ShareReads())
        {
            h.Emulator.Faults.Add(FaultKind.Unavailable, count: 1000, pathContains: "/sleep/");
            var failed = h.Reader.ReadSleep(Quarter, CancellationToken.None).ToList();
            Assert.Contains(failed, i => i.IsError);
            h.Emulator.Faults.Clear();

            int before = h.RequestsFor("sleep");
            var stages = h.Reader.ReadSleepStages(Quarter, CancellationToken.None).Records();
            Assert.NotEmpty(stages);
            Assert.True(h.RequestsFor("sleep") > before, "the failed answer was reused");

            // Another range is another read; the same range again is shared.
            before = h.RequestsFor("sleep");
            var march = new CivilRange(new DateTime(2026, 3, 1), new DateTime(2026, 3, 31));
            h.Reader.ReadSleep(march, CancellationToken.None).Records();
            int marchRequests = h.RequestsFor("sleep") - before;
            Assert.True(marchRequests >= 1);
            h.Reader.ReadSleepStages(march, CancellationToken.None).Records();
            Assert.Equal(marchRequests, h.RequestsFor("sleep") - before);
        }
    }
}
