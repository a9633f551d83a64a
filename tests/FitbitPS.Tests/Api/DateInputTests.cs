using System.Globalization;
using FitbitPS.Engine.Core;
using Xunit;

namespace FitbitPS.Tests.Api;

/// <summary>Days typed by a person read the same whatever the session's culture; two readings refuse.</summary>
public class DateInputTests
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    [Theory]
    [InlineData("2026-11-01")]
    [InlineData("2026-11-01T08:30")]
    [InlineData("2026-11-01T23:30:00-05:00")]   // the day as written, not converted to this machine's zone
    [InlineData("2026-11-01T00:30:00Z")]
    [InlineData("20261101")]
    [InlineData(" 2026-11-01 ")]
    public void Iso_days_read_the_same_in_every_culture(string text)
    {
        foreach (var culture in new[] { German, Us, CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("ja-JP") })
            Assert.Equal(new DateTime(2026, 11, 1), DateInput.ParseDay(text, culture, "From"));
    }

    [Fact]
    public void A_text_that_names_two_days_is_refused_with_both_readings()
    {
        var e = Assert.Throws<FitbitInputException>(() => DateInput.ParseDay("11/01/2026", German, "From"));
        Assert.Equal("FitbitAmbiguousDate", e.ErrorId);
        Assert.Contains("2026-11-01", e.Message);
        Assert.Contains("2026-01-11", e.Message);
        Assert.Contains("-From 2026-11-01", e.RecommendedAction);
        Assert.Equal("11/01/2026", e.Target);
    }

    [Fact]
    public void A_text_both_readings_agree_on_is_taken()
    {
        Assert.Equal(new DateTime(2026, 11, 1), DateInput.ParseDay("11/01/2026", Us, "From"));
        Assert.Equal(new DateTime(2026, 12, 25), DateInput.ParseDay("25.12.2026", German, "To"));   // only the culture reads it
        Assert.Equal(new DateTime(2026, 12, 25), DateInput.ParseDay("12/25/2026", German, "To"));   // only the invariant form reads it
    }

    [Theory]
    [InlineData("yesterday-ish")]
    [InlineData("14:00")]
    [InlineData("")]
    public void Not_a_day_is_a_clear_error(string text)
    {
        var e = Assert.Throws<FitbitInputException>(() => DateInput.ParseDay(text, German, "To"));
        Assert.Equal("FitbitInvalidDate", e.ErrorId);
        Assert.Contains("yyyy-MM-dd", e.RecommendedAction);
    }
}
