using System.Text;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Records;
using FitbitPS.Tests.Readers;
using Xunit;

namespace FitbitPS.Tests.Api;

/// <summary>The byte scanner for raw heart-rate pages gives exactly what the Newtonsoft reader gives,
/// and declines (so Newtonsoft takes over) whatever is not the plain shape.</summary>
public class HeartRatePageScannerTests
{
    private static List<HeartRateSample> ViaNewtonsoft(byte[] body)
    {
        var (points, _) = CapturedResponseTests.Page(body);
        return points.Select(FitbitReaderAccess.ToHeartRateSample).ToList();
    }

    private static void AssertSame(List<HeartRateSample> expected, List<HeartRateSample> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Time, actual[i].Time);
            Assert.Equal(expected[i].Time.Offset, actual[i].Time.Offset);
            Assert.Equal(expected[i].Date, actual[i].Date);
            Assert.Equal(expected[i].BeatsPerMinute, actual[i].BeatsPerMinute);
            Assert.Equal(expected[i].Source, actual[i].Source);
        }
    }

    [Theory]
    [InlineData("ansanloms-skills__heart-rate-list.trimmed.json")]
    [InlineData("arysuri23-mcp-fitbit-air__list_heart_rate_nofilter.json")]
    public void Captured_pages_scan_like_newtonsoft(string file)
    {
        var body = CapturedResponseTests.Captured(file);
        var samples = new List<HeartRateSample>();
        Assert.True(HeartRatePageScanner.TryParse(body, samples, out var next));
        AssertSame(ViaNewtonsoft(body), samples);
        Assert.Equal(CapturedResponseTests.Page(body).Next, next);
    }

    [Fact]
    public async Task A_full_emulator_page_scans_like_newtonsoft()
    {
        await using var h = await ReaderHarness.StartAsync();
        var range = new CivilRange(new DateTime(2026, 3, 28), new DateTime(2026, 3, 30)); // DST in Berlin inside the page
        var page = await h.Client.ListPageAsync(DataTypeCatalog.HeartRate, h.PhysicalFilter(DataTypeCatalog.HeartRate, range), 10000, null, false, CancellationToken.None);
        var samples = new List<HeartRateSample>();
        Assert.True(HeartRatePageScanner.TryParse(page.Body, samples, out var next));
        Assert.Equal(5000, samples.Count); // Google stops heart-rate pages at 5,000
        Assert.Equal(page.NextPageToken, next);
        AssertSame(ViaNewtonsoft(page.Body), samples);
    }

    [Theory]
    [InlineData("""{"dataPoints":[{"heartRate":{"sampleTime":{"physicalTime":"2026-01-08T02:25:14Z","utcOffset":"-14400s"},"beatsPerMinute":"60","note":"x"}}]}""")] // unknown member
    [InlineData("""{"dataPoints":[{"dataSource":{"device":{"displayName":"Pixel \"W\""}},"heartRate":{"sampleTime":{"physicalTime":"2026-01-08T02:25:14Z","utcOffset":"-14400s"},"beatsPerMinute":"60"}}]}""")] // escape in a string the record uses? (source decoded by Newtonsoft: still fine)
    [InlineData("""{"dataPoints":[{"steps":{"count":"1"}}]}""")] // not heart rate
    [InlineData("""{"dataPoints":[{"heartRate":{"sampleTime":{"physicalTime":"2026-01-08T02:25:14+01:00","utcOffset":"3600s"},"beatsPerMinute":"60"}}]}""")] // offset literal
    public void Other_shapes_fall_back_to_newtonsoft_with_the_same_result(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var viaReader = FitbitReaderAccess.ParseHeartRatePage(body);
        List<HeartRateSample> expected;
        try { expected = ViaNewtonsoft(body).ToList(); }
        catch (NullReferenceException) { expected = new List<HeartRateSample>(); } // not a heart-rate point at all
        AssertSame(expected, viaReader);
    }

    [Fact]
    public void A_truncated_page_is_declined_and_then_an_error()
    {
        var body = CapturedResponseTests.Captured("arysuri23-mcp-fitbit-air__list_heart_rate_nofilter.json");
        var cut = body.Take(body.Length - 40).ToArray();
        var samples = new List<HeartRateSample>();
        Assert.False(HeartRatePageScanner.TryParse(cut, samples, out _));
        Assert.Empty(samples);
        Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => FitbitReaderAccess.ParseHeartRatePage(cut));
    }
}
