using System.Globalization;
using FitbitPS.Engine.Export;
using Newtonsoft.Json.Linq;
using Xunit;

namespace FitbitPS.Tests.Export;

public class WriterTests
{
    private static readonly TestDay Quoted = new()
    {
        Date = new DateTime(2026, 3, 8), Steps = 12345, DistanceKm = 8.6415, Note = "walk, \"long\"\r\nsecond line",
        Level = TestLevel.High, Worn = true, SyncedAt = new DateTimeOffset(2026, 3, 8, 23, 5, 7, 250, TimeSpan.FromHours(-5)),
        Asleep = new TimeSpan(7, 12, 0),
    };

    private static readonly TestDay Empty = new() { Date = new DateTime(2026, 3, 9), Steps = -3, Level = TestLevel.Low };

    [Fact]
    public void Csv_has_one_header_invariant_numbers_iso_dates_and_rfc4180_quoting()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma must not leak into the file
        try
        {
            var text = new StringWriter();
            long rows = ExportWriter.WriteCsv(text, new[] { Quoted, Empty });
            Assert.Equal(2, rows);
            Assert.Equal(
                "Date,Steps,DistanceKm,Note,Level,Worn,SyncedAt,Asleep\r\n" +
                "2026-03-08,12345,8.6415,\"walk, \"\"long\"\"\r\nsecond line\",High,true,2026-03-08T23:05:07.25-05:00,07:12:00\r\n" +
                "2026-03-09,-3,,,Low,false,,00:00:00\r\n",
                text.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Json_lines_have_the_same_columns_and_value_text()
    {
        var text = new StringWriter();
        ExportWriter.WriteJsonLines(text, new[] { Quoted, Empty });
        var lines = text.ToString().Split('\n');
        Assert.Equal(3, lines.Length); // two rows + the empty tail after the last LF
        Assert.Equal("", lines[2]);
        var first = ParseLine(lines[0]);
        Assert.Equal(new[] { "Date", "Steps", "DistanceKm", "Note", "Level", "Worn", "SyncedAt", "Asleep" }, first.Properties().Select(p => p.Name));
        Assert.Equal("2026-03-08", (string?)first["Date"]);
        Assert.Equal(12345L, (long)first["Steps"]!);
        Assert.Equal("walk, \"long\"\r\nsecond line", (string?)first["Note"]);
        Assert.Equal("2026-03-08T23:05:07.25-05:00", first["SyncedAt"]!.ToString());
        var second = ParseLine(lines[1]);
        Assert.Equal(JTokenType.Null, second["DistanceKm"]!.Type);
        Assert.Equal(JTokenType.Null, second["Note"]!.Type);
        Assert.False((bool)second["Worn"]!);
    }

    private static JObject ParseLine(string line) =>
        Newtonsoft.Json.JsonConvert.DeserializeObject<JObject>(line, new Newtonsoft.Json.JsonSerializerSettings { DateParseHandling = Newtonsoft.Json.DateParseHandling.None })!;

    [Fact]
    public void Utc_instants_end_in_Z_and_whole_seconds_have_no_fraction()
    {
        var text = new StringWriter();
        ExportWriter.WriteCsv(text, new[] { new TestSample { Time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), BeatsPerMinute = 61 } });
        Assert.Equal("Time,BeatsPerMinute\r\n2026-01-02T03:04:05Z,61\r\n", text.ToString());
    }
}

public class NumberTextTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(600.0, "600")]
    [InlineData(8.6415, "8.6415")]
    [InlineData(-61.5, "-61.5")]
    [InlineData(0.05, "0.05")]
    [InlineData(75 * 0.000454, "0.03405")] // v·10^5 is not whole by a rounding error, v·10^6 is
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(123456789012.5, "123456789012.5")]
    [InlineData(-0.0, "-0")]
    public void Doubles_are_written_as_the_shortest_text_that_reads_back(double value, string expected)
    {
        var text = new StringWriter();
        ExportWriter.WriteCsv(text, new[] { new NumberRow { Value = value } });
        string cell = text.ToString().Split("\r\n")[1];
        Assert.Equal(expected, cell);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Every_double_of_a_dense_sample_reads_back_exactly()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 20000).Select(i => new NumberRow
        {
            Value = (i % 4) switch
            {
                0 => Math.Round(random.NextDouble() * 200, i % 7),
                1 => random.NextDouble() * 1e6 - 5e5,
                2 => Math.Round(random.NextDouble() * 1e8, 2),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : 1.5,
            },
        }).ToList();
        var text = new StringWriter();
        ExportWriter.WriteCsv(text, rows);
        var cells = text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        for (int i = 0; i < rows.Count; i++)
            Assert.Equal(rows[i].Value, double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture));
    }

    public sealed class NumberRow { public double Value { get; set; } }
}
