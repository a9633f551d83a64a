using System;
using System.Globalization;

namespace FitbitPS.Engine.Core
{
    /// <summary>
    /// Reads a calendar day typed by a person, the same whatever the culture of the session.
    /// Why: PowerShell binds a string to a DateTime parameter with the current culture, so under de-DE
    /// '11/01/2026' silently became 11 January while a script written on an en-US machine meant
    /// 1 November. ISO 8601 (2026-11-01, 2026-11-01T08:00, with or without an offset) always works; any
    /// other text is read both in the invariant (US) form and in the session's culture, and when the two
    /// readings name different days the input is refused as ambiguous instead of guessed.
    /// </summary>
    public static class DateInput
    {
        private static readonly string[] IsoFormats =
        {
            "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
            "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyyMMdd",
        };

        private static readonly string[] IsoOffsetFormats =
        {
            "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        };

        /// <summary>The calendar day <paramref name="text"/> names (the date as written, time of day dropped).</summary>
        /// <param name="text">What was typed.</param>
        /// <param name="culture">The session's culture (PowerShell's current culture).</param>
        /// <param name="parameter">The parameter name for messages ("From").</param>
        public static DateTime ParseDay(string text, CultureInfo culture, string parameter)
        {
            var s = (text ?? "").Trim();
            if (s.Length == 0) throw Invalid(text, parameter);
            // Offsets first: the day is the one written, not the one in this machine's zone.
            if (DateTimeOffset.TryParseExact(s, IsoOffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
                return Day(withOffset.DateTime);
            if (DateTime.TryParseExact(s, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
                return Day(iso);

            var styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.NoCurrentDateDefault;
            var invariantOk = DateTime.TryParse(s, CultureInfo.InvariantCulture, styles, out var invariant);
            var local = culture ?? CultureInfo.CurrentCulture;
            var cultureOk = DateTime.TryParse(s, local, styles, out var inCulture);
            // A day-less text ("14:00") parses to year 1 with NoCurrentDateDefault: not a day.
            if (invariantOk && invariant.Year == 1) invariantOk = false;
            if (cultureOk && inCulture.Year == 1) cultureOk = false;
            if (invariantOk && cultureOk && invariant.Date != inCulture.Date)
                throw new FitbitInputException(FitbitInputException.AmbiguousDate,
                    $"-{parameter} '{text}' names two different days: {invariant:yyyy-MM-dd} in the invariant (US month/day) form and " +
                    $"{inCulture:yyyy-MM-dd} in this session's culture ({local.Name}).",
                    text, $"Write the day as yyyy-MM-dd: -{parameter} {invariant:yyyy-MM-dd} or -{parameter} {inCulture:yyyy-MM-dd}.");
            if (invariantOk) return Day(invariant);
            if (cultureOk) return Day(inCulture);
            throw Invalid(text, parameter);
        }

        private static DateTime Day(DateTime value) => DateTime.SpecifyKind(value.Date, DateTimeKind.Unspecified);

        private static FitbitInputException Invalid(string text, string parameter) =>
            new FitbitInputException(FitbitInputException.InvalidDate, $"-{parameter} '{text}' is not a date.", text,
                $"Write the day as yyyy-MM-dd (e.g. -{parameter} {DateTime.Today:yyyy-MM-dd}) or pass a [datetime] such as (Get-Date).AddDays(-7).");
    }
}
