using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.Report
{
    /// <summary>One chart of the report: the series it needs (it is drawn when any has a value in the range, else the page
    /// says there is none) and the -DataType that brings them.</summary>
    internal sealed class ReportChart
    {
        public string Id { get; set; }
        public string Section { get; set; }
        public string Title { get; set; }
        public string Note { get; set; }
        /// <summary>What is missing when it is empty ("steps", "weigh-ins").</summary>
        public string What { get; set; }
        /// <summary>The Export-FitbitData -DataType that fills it.</summary>
        public string DataType { get; set; }
        public string[] Series { get; set; }
        public bool Tall { get; set; }
    }

    internal static class ReportCharts
    {
        public const string StepsAndActivity = "Steps and activity", Sleep = "Sleep", Body = "Body", Vitals = "Heart and vitals", Minutes = "A day by minute";

        /// <summary>The charts in page order (their ids are the ones report.js draws).</summary>
        public static IReadOnlyList<ReportChart> All(ReportUnits units) => new[]
        {
            new ReportChart { Id = "steps-calendar", Section = StepsAndActivity, Title = "Steps per day (calendar)", What = "steps", DataType = "Activity",
                Series = new[] { ReportData.Series.Steps }, Note = "Each square is a day, weeks start on Monday; darker is more steps." },
            new ReportChart { Id = "steps", Section = StepsAndActivity, Title = "Steps per day and 7-day average", What = "steps", DataType = "Activity",
                Series = new[] { ReportData.Series.Steps }, Note = "The average of each day is over the days with steps among the last 7; the tooltip adds the day's distance." },
            new ReportChart { Id = "azm", Section = StepsAndActivity, Title = "Active zone minutes per day (minutes)", What = "active zone minutes", DataType = "Activity",
                Series = new[] { ReportData.Series.AzmFatBurn, ReportData.Series.AzmCardio, ReportData.Series.AzmPeak } },
            new ReportChart { Id = "sleep", Section = Sleep, Title = "Sleep per night by stage (hours)", What = "sleep", DataType = "Sleep", Tall = true,
                Series = new[] { ReportData.Series.SleepAsleep }, Note = "The night's main sleep; naps are left out. Nights recorded without stages show as \"Asleep (no stages)\"." },
            new ReportChart { Id = "sleep-times", Section = Sleep, Title = "Bedtime and wake time (clock time)", What = "sleep", DataType = "Sleep",
                Series = new[] { ReportData.Series.Bedtime }, Note = "Start and end of the night's main sleep, in the time zone the person was in." },
            new ReportChart { Id = "weight", Section = Body, Title = $"Weight ({units.Weight}) with trend", What = "weigh-ins", DataType = "Weight",
                Series = new[] { ReportData.Series.Weight }, Note = "The day's last weigh-in; the trend moves 10 % of the way to each weigh-in." },
            new ReportChart { Id = "body-fat", Section = Body, Title = "Body fat (%)", What = "body-fat readings", DataType = "Weight",
                Series = new[] { ReportData.Series.BodyFat } },
            new ReportChart { Id = "resting-hr", Section = Vitals, Title = "Resting heart rate (bpm)", What = "resting heart rate", DataType = "RestingHeartRate",
                Series = new[] { ReportData.Series.RestingHeartRate } },
            new ReportChart { Id = "hrv", Section = Vitals, Title = "Heart rate variability (RMSSD, ms)", What = "heart rate variability", DataType = "HeartRateVariability",
                Series = new[] { ReportData.Series.Hrv } },
            new ReportChart { Id = "spo2", Section = Vitals, Title = "Blood oxygen saturation (SpO₂, %)", What = "SpO₂", DataType = "OxygenSaturation",
                Series = new[] { ReportData.Series.Spo2 } },
            new ReportChart { Id = "breathing", Section = Vitals, Title = "Breathing rate (breaths per minute)", What = "breathing rate", DataType = "BreathingRate",
                Series = new[] { ReportData.Series.BreathingRate } },
            new ReportChart { Id = "skin-temp", Section = Vitals, Title = $"Skin temperature variation from baseline ({units.Temperature})", What = "skin temperature", DataType = "SkinTemperature",
                Series = new[] { ReportData.Series.SkinTemperature } },
            new ReportChart { Id = "day", Section = Minutes, Title = "Heart rate (bpm) and steps by minute", What = "heart rate or steps by minute", DataType = "HeartRateIntraday, ActivityIntraday",
                Series = new string[0], Tall = true },
        };

        /// <summary>True when the chart has something to draw.</summary>
        public static bool HasData(ReportChart chart, ReportData data) =>
            chart.Id == "day"
                ? data.Intraday != null && (data.Intraday.HeartRateBpm.Count > 0 || data.Intraday.Steps.Count > 0)
                : Points(chart, data) > 0;

        /// <summary>What the chart draws: the days any of its series has a value (a stack of active zone minutes draws a day
        /// with one zone), or the day by minute's heart-rate samples.</summary>
        public static int Points(ReportChart chart, ReportData data)
        {
            if (chart.Id == "day") return data.Intraday?.HeartRateBpm.Count ?? 0;
            var series = chart.Series.Select(key => data.Daily.TryGetValue(key, out var values) ? values : null).Where(v => v != null).ToList();
            return Enumerable.Range(0, data.Days).Count(i => series.Any(v => v[i].HasValue));
        }
    }
}
