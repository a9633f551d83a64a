using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using Newtonsoft.Json;

namespace FitbitPS.Engine.Report
{
    /// <summary>
    /// The report as one HTML file: styles, the chart library (Apache ECharts, vendored from npm with its licences), the
    /// page's script and the data, all inline. A Content-Security-Policy forbids every request, so the page works offline
    /// and can never leak what it shows. Charts without data are a sentence in the HTML instead.
    /// </summary>
    internal static class ReportPage
    {
        /// <summary>The vendored ECharts' version (Report/Assets/vendor, from the version package.json pins).</summary>
        public static string EChartsVersion => Asset("vendor/echarts/VERSION").Trim();

        private const string Csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:";

        public static string Render(ReportData data, IReadOnlyList<ReportChart> charts, DateTimeOffset generatedAt)
        {
            var html = new StringBuilder(1536 * 1024);
            string range = $"{Day(data.From)} – {Day(data.To)}";
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Csp).Append("\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<meta name=\"generator\" content=\"FitbitPS ").Append(Encode(Version)).Append("\">\n")
                .Append("<link rel=\"icon\" href=\"data:,\">\n")
                .Append("<title>Fitbit report: ").Append(Encode(data.Profile)).Append(", ").Append(range).Append("</title>\n")
                .Append("<style>\n").Append(Asset("report.css")).Append("</style>\n</head>\n<body>\n");

            html.Append("<header>\n<h1>Fitbit report</h1>\n<p class=\"meta\">Profile <b>").Append(Encode(data.Profile)).Append("</b>, ")
                .Append(range).Append(" (").Append(data.Days.ToString("N0", CultureInfo.InvariantCulture)).Append(" days). Units: ")
                .Append(data.Units.Weight).Append(", ").Append(data.Units.Distance).Append(", ").Append(data.Units.Temperature)
                .Append(" (").Append(Encode(data.Units.Origin)).Append(").</p>\n<p class=\"meta\">Written by FitbitPS ").Append(Encode(Version))
                .Append(" on ").Append(generatedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture))
                .Append(" from the store; this page makes no request and works offline.</p>\n</header>\n<main>\n");

            AppendComparisons(html, data);
            foreach (var section in charts.GroupBy(c => c.Section))
            {
                html.Append("<h2>").Append(Encode(section.Key)).Append("</h2>\n");
                bool grid = section.Key == ReportCharts.Vitals || section.Key == ReportCharts.Body;
                if (grid) html.Append("<div class=\"grid2\">\n");
                foreach (var chart in section) AppendChart(html, chart, data);
                if (grid) html.Append("</div>\n");
            }
            html.Append("</main>\n<footer>\n<p>Charts drawn with Apache ECharts ").Append(EChartsVersion)
                .Append(" (Apache License 2.0; it bundles ZRender, BSD 3-Clause, and parts of d3, BSD 3-Clause), inlined in this page with its licences:</p>\n<details><summary>Licences</summary><pre>")
                .Append(Encode(Asset("vendor/echarts/NOTICE"))).Append("\n\n").Append(Encode(Asset("vendor/echarts/LICENSE"))).Append("\n\n")
                .Append(Encode(Asset("vendor/echarts/LICENSE-d3"))).Append("\n\nZRender:\n").Append(Encode(Asset("vendor/zrender/LICENSE")))
                .Append("</pre></details>\n</footer>\n");

            html.Append("<script type=\"application/json\" id=\"fitbitps-data\">");
            AppendData(html, data, charts);
            html.Append("</script>\n<script>\n").Append(Asset("vendor/echarts/echarts.min.js")).Append("\n</script>\n<script>\n")
                .Append(Asset("report.js")).Append("</script>\n</body>\n</html>\n");
            return html.ToString();
        }

        private static void AppendChart(StringBuilder html, ReportChart chart, ReportData data)
        {
            string title = chart.Id == "day" && data.Intraday != null ? $"{chart.Title}, {Day(data.Intraday.Day)}" : chart.Title;
            html.Append("<section class=\"card\" id=\"").Append(chart.Id).Append("\">\n<h3>").Append(Encode(title)).Append("</h3>\n");
            if (ReportCharts.HasData(chart, data))
            {
                html.Append("<div class=\"plot").Append(chart.Tall ? " tall" : "").Append("\" data-chart=\"").Append(chart.Id)
                    .Append("\" role=\"img\" aria-label=\"").Append(Encode(title)).Append("\"></div>\n");
                if (chart.Note != null) html.Append("<p class=\"note\">").Append(Encode(chart.Note)).Append("</p>\n");
            }
            else
            {
                string when = chart.Id == "day"
                    ? (data.Intraday != null ? "on " + Day(data.Intraday.Day) : $"on any day of {Day(data.From)} – {Day(data.To)}")
                    : $"for {Day(data.From)} – {Day(data.To)}";
                html.Append("<p class=\"no-data\" data-no-data=\"").Append(chart.Id).Append("\">No data: the store holds no ")
                    .Append(Encode(chart.What)).Append(' ').Append(when).Append(". Export-FitbitData -DataType ").Append(Encode(chart.DataType))
                    .Append(" brings them").Append(chart.Id == "day" ? " (-IncludeIntraday exports them with the rest)" : "").Append(".</p>\n");
            }
            html.Append("</section>\n");
        }

        private static void AppendComparisons(StringBuilder html, ReportData data)
        {
            html.Append("<h2>Compared with before</h2>\n<section class=\"card\" id=\"compare\">\n<h3>The last 30 and 90 days against the period before, up to ")
                .Append(Day(data.To)).Append("</h3>\n");
            var shown = data.Comparisons.Where(c => c.Windows.Any(w => w.Average.HasValue)).ToList();
            if (shown.Count == 0)
            {
                html.Append("<p class=\"no-data\" data-no-data=\"compare\">No data: the store holds no steps, sleep, resting heart rate or weight in the 180 days up to ")
                    .Append(Day(data.To)).Append(".</p>\n</section>\n");
                return;
            }
            html.Append("<table class=\"compare\">\n<thead><tr><th>Average</th>");
            foreach (var w in shown[0].Windows) html.Append("<th>").Append(Encode(w.Label)).Append("<span class=\"days\">").Append(Day(w.From)).Append(" – ").Append(Day(w.To)).Append("</span></th>");
            html.Append("<th>Change, 30 days</th><th>Change, 90 days</th></tr></thead>\n<tbody>\n");
            foreach (var c in shown)
            {
                html.Append("<tr data-series=\"").Append(c.Series).Append("\"><td>").Append(Encode(c.Label)).Append(" <span class=\"days\">")
                    .Append(Encode(c.Unit)).Append("</span></td>");
                foreach (var w in c.Windows)
                {
                    html.Append("<td data-window=\"").Append(Encode(w.Label)).Append("\" data-days=\"").Append(w.DaysWithValues).Append('"');
                    if (w.Average.HasValue) html.Append(" data-value=\"").Append(Number(w.Average.Value)).Append('"');
                    html.Append('>').Append(w.Average.HasValue ? Shown(c, w.Average.Value) : "–")
                        .Append("<span class=\"days\">").Append(w.DaysWithValues).Append(w.DaysWithValues == 1 ? " day" : " days").Append("</span></td>");
                }
                html.Append("<td>").Append(Change(c, c.Windows[0], c.Windows[1])).Append("</td><td>").Append(Change(c, c.Windows[2], c.Windows[3])).Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n<p class=\"note\">Each average is over the days of the window that have a value (the day count under it).</p>\n</section>\n");
        }

        private static string Shown(ReportData.Comparison c, double value) =>
            c.Series == ReportData.Series.SleepAsleep
                ? $"{(int)value / 60} h {(int)value % 60:00} min"
                : value.ToString("N" + c.Decimals, CultureInfo.InvariantCulture);

        private static string Change(ReportData.Comparison c, ReportData.Window now, ReportData.Window before)
        {
            if (!now.Average.HasValue || !before.Average.HasValue) return "–";
            double delta = Math.Round(now.Average.Value - before.Average.Value, c.Decimals, MidpointRounding.AwayFromZero);
            string sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
            string amount = c.Series == ReportData.Series.SleepAsleep
                ? $"{Math.Abs(delta):0} min"
                : Math.Abs(delta).ToString("N" + c.Decimals, CultureInfo.InvariantCulture) + (c.Series == ReportData.Series.Steps ? "" : " " + c.Unit);
            return sign + Encode(amount);
        }

        /// <summary>The page's data: one array per series over the days (null where a day has none), compact JSON; strings
        /// HTML-escaped, so nothing in them can end the script element.</summary>
        private static void AppendData(StringBuilder html, ReportData data, IReadOnlyList<ReportChart> charts)
        {
            using (var text = new StringWriter(html, CultureInfo.InvariantCulture))
            using (var json = new JsonTextWriter(text) { StringEscapeHandling = StringEscapeHandling.EscapeHtml, Formatting = Formatting.None })
            {
                json.WriteStartObject();
                json.WritePropertyName("profile"); json.WriteValue(data.Profile);
                json.WritePropertyName("from"); json.WriteValue(Day(data.From));
                json.WritePropertyName("to"); json.WriteValue(Day(data.To));
                json.WritePropertyName("days"); json.WriteValue(data.Days);
                json.WritePropertyName("units");
                json.WriteStartObject();
                json.WritePropertyName("weight"); json.WriteValue(data.Units.Weight);
                json.WritePropertyName("distance"); json.WriteValue(data.Units.Distance);
                json.WritePropertyName("temperature"); json.WriteValue(data.Units.Temperature);
                json.WriteEndObject();
                json.WritePropertyName("charts");
                json.WriteStartArray();
                foreach (var chart in charts.Where(c => ReportCharts.HasData(c, data))) json.WriteValue(chart.Id);
                json.WriteEndArray();
                json.WritePropertyName("daily");
                json.WriteStartObject();
                foreach (var pair in data.Daily.Where(p => p.Value.Any(v => v.HasValue)).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WritePropertyName(pair.Key);
                    json.WriteStartArray();
                    foreach (var value in pair.Value)
                        if (value.HasValue) json.WriteRawValue(Number(value.Value)); else json.WriteNull();
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                if (data.Intraday != null)
                {
                    json.WritePropertyName("day");
                    json.WriteStartObject();
                    json.WritePropertyName("date"); json.WriteValue(Day(data.Intraday.Day));
                    Pairs(json, "hr", data.Intraday.HeartRateSeconds, data.Intraday.HeartRateBpm);
                    Pairs(json, "steps", data.Intraday.StepMinutes, data.Intraday.Steps);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
        }

        private static void Pairs(JsonTextWriter json, string name, List<int> times, List<int> values)
        {
            json.WritePropertyName(name);
            json.WriteStartObject();
            json.WritePropertyName("t"); json.WriteStartArray(); foreach (var t in times) json.WriteValue(t); json.WriteEndArray();
            json.WritePropertyName("v"); json.WriteStartArray(); foreach (var v in values) json.WriteValue(v); json.WriteEndArray();
            json.WriteEndObject();
        }

        /// <summary>A number as short as it round-trips (11267, not 11267.0).</summary>
        internal static string Number(double value) =>
            value == Math.Floor(value) && Math.Abs(value) < 1e15
                ? ((long)value).ToString(CultureInfo.InvariantCulture)
                : value.ToString("R", CultureInfo.InvariantCulture);

        private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Encode(string text) => WebUtility.HtmlEncode(text ?? "");

        private static string Version =>
            typeof(ReportPage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? typeof(ReportPage).Assembly.GetName().Version.ToString();

        /// <summary>An embedded asset (Report/Assets/…) as text.</summary>
        internal static string Asset(string name)
        {
            string resource = "FitbitPS.Report." + name.Replace('/', '.');
            using (var stream = typeof(ReportPage).Assembly.GetManifestResourceStream(resource)
                                ?? throw new InvalidOperationException($"The report asset {resource} is missing from the engine (a build problem)."))
            using (var reader = new StreamReader(stream, Encoding.UTF8))
                return reader.ReadToEnd();
        }
    }
}
