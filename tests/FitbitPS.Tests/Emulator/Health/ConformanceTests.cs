using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>Walks JSON bodies against the discovery document's schemas: only declared fields, proto3-JSON
/// types (int64/uint64 → string, int32/double → number, doubles may be "NaN"/"Infinity"), declared enums.</summary>
internal sealed class DiscoverySchemas
{
    private static readonly Lazy<DiscoverySchemas> Shared = new(() => new DiscoverySchemas());
    private readonly JsonElement _schemas;

    private DiscoverySchemas()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "google-health-v4.discovery.json")));
        _schemas = doc.RootElement.GetProperty("schemas").Clone();
    }

    public static DiscoverySchemas Instance => Shared.Value;

    private static readonly Regex Int64 = new(@"^-?\d+$");
    private static readonly Regex Timestamp = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$");
    private static readonly Regex Duration = new(@"^-?\d+(\.\d{1,9})?s$");

    public List<string> Check(string schema, JsonElement value, string path = "$")
    {
        var errors = new List<string>();
        CheckObject(schema, value, path, errors);
        return errors;
    }

    private void CheckObject(string schema, JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: expected object ({schema})"); return; }
        var properties = _schemas.GetProperty(schema).GetProperty("properties");
        foreach (var p in value.EnumerateObject())
        {
            if (!properties.TryGetProperty(p.Name, out var declared)) { errors.Add($"{path}.{p.Name}: not declared in {schema}"); continue; }
            CheckValue(declared, p.Value, $"{path}.{p.Name}", errors);
        }
    }

    private void CheckValue(JsonElement declared, JsonElement value, string path, List<string> errors)
    {
        if (declared.TryGetProperty("$ref", out var reference)) { CheckObject(reference.GetString()!, value, path, errors); return; }
        var type = declared.GetProperty("type").GetString();
        var format = declared.TryGetProperty("format", out var f) ? f.GetString() : null;
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String) { errors.Add($"{path}: expected string, got {value.ValueKind}"); return; }
                var s = value.GetString()!;
                if (format is "int64" or "uint64" && !Int64.IsMatch(s)) errors.Add($"{path}: \"{s}\" is not an int64 string");
                if (format == "google-datetime" && !Timestamp.IsMatch(s)) errors.Add($"{path}: \"{s}\" is not an RFC 3339 UTC timestamp");
                if (format == "google-duration" && !Duration.IsMatch(s)) errors.Add($"{path}: \"{s}\" is not a duration");
                if (declared.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == s)) errors.Add($"{path}: \"{s}\" is not a declared enum value");
                return;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _)) errors.Add($"{path}: expected integer number, got {value.GetRawText()}");
                return;
            case "number":
                if (value.ValueKind == JsonValueKind.Number) return;
                if (value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity") return;
                errors.Add($"{path}: expected number, got {value.GetRawText()}");
                return;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) errors.Add($"{path}: expected boolean");
                return;
            case "array":
                if (value.ValueKind != JsonValueKind.Array) { errors.Add($"{path}: expected array"); return; }
                var i = 0;
                foreach (var item in value.EnumerateArray()) CheckValue(declared.GetProperty("items"), item, $"{path}[{i++}]", errors);
                return;
            case "object":
                if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: expected object"); return; }
                if (declared.TryGetProperty("additionalProperties", out var additional))
                    foreach (var p in value.EnumerateObject()) CheckValue(additional, p.Value, $"{path}.{p.Name}", errors);
                return;
            default:
                errors.Add($"{path}: unknown schema type {type}");
                return;
        }
    }
}

/// <summary>Every body the emulator serves, for every data type and method, conforms to the discovery document.</summary>
public sealed class ConformanceTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    public static readonly string[] ListTypes =
    {
        "weight", "body-fat", "height", "steps", "distance", "altitude", "active-zone-minutes", "active-minutes",
        "activity-level", "sedentary-period", "active-energy-burned", "time-in-heart-rate-zone", "heart-rate",
        "daily-resting-heart-rate", "heart-rate-variability", "daily-heart-rate-variability", "oxygen-saturation",
        "daily-oxygen-saturation", "daily-respiratory-rate", "respiratory-rate-sleep-summary",
        "daily-sleep-temperature-derivations", "vo2-max", "daily-vo2-max", "exercise", "sleep",
    };

    public static readonly string[] RollUpTypes =
    {
        "weight", "body-fat", "steps", "distance", "floors", "altitude", "active-zone-minutes", "active-minutes", "activity-level",
        "sedentary-period", "active-energy-burned", "time-in-heart-rate-zone", "total-calories", "calories-in-heart-rate-zone", "heart-rate",
    };

    public static IEnumerable<object[]> Lists => ListTypes.Select(t => new object[] { t });
    public static IEnumerable<object[]> Reconciles => ListTypes.Append("daily-heart-rate-zones").Append("floors").Select(t => new object[] { t });
    public static IEnumerable<object[]> RollUps => RollUpTypes.Select(t => new object[] { t });
    public static IEnumerable<object[]> DailyRollUps => RollUpTypes.Select(t => new object[] { t });

    private static void Conforms(string schema, JsonElement body)
    {
        var errors = DiscoverySchemas.Instance.Check(schema, body);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
    }

    private static string Member(string type) => type switch
    {
        "body-fat" => "bodyFat", "daily-vo2-max" => "dailyVo2Max", "vo2-max" => "vo2Max",
        _ => string.Concat(type.Split('-').Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])),
    };

    private async Task<List<JsonElement>> Pages(string type, bool reconcile)
    {
        // a long stretch so rare shapes (naps, classic nights, NaN temperatures, trips) show up
        var points = new List<JsonElement>();
        string? token = null;
        var pageSize = type is "sleep" or "exercise" ? 25 : type is "heart-rate" or "oxygen-saturation" or "heart-rate-variability" ? 2000 : 400;
        for (var i = 0; i < 4; i++)
        {
            var (status, body, raw) = await _h.ListAsync(type, pageSize: pageSize, pageToken: token, reconcile: reconcile);
            Assert.True(status == HttpStatusCode.OK, raw);
            Conforms(reconcile ? "ReconcileDataPointsResponse" : "ListDataPointsResponse", body);
            points.AddRange(HealthApiHarness.Points(body));
            if (!body.TryGetProperty("nextPageToken", out var t) || t.GetString() is not { Length: > 0 } next) break;
            token = next;
        }
        return points;
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task List_bodies_conform(string type)
    {
        var points = await Pages(type, reconcile: false);
        Assert.NotEmpty(points);
        var member = Member(type);
        Assert.All(points, p =>
        {
            Assert.True(p.TryGetProperty(member, out _), $"{member} missing in {p.GetRawText()[..Math.Min(300, p.GetRawText().Length)]}");
            Assert.True(p.TryGetProperty("dataSource", out _));
            Assert.Equal(2 + (p.TryGetProperty("name", out _) ? 1 : 0), p.EnumerateObject().Count()); // exactly one value member
        });
    }

    [Theory]
    [MemberData(nameof(Reconciles))]
    public async Task Reconcile_bodies_conform_and_carry_no_data_source(string type)
    {
        var points = await Pages(type, reconcile: true);
        Assert.NotEmpty(points);
        Assert.All(points, p =>
        {
            Assert.False(p.TryGetProperty("dataSource", out _));
            Assert.False(p.TryGetProperty("name", out _));
            Assert.Equal(type is "sleep" or "exercise" or "weight" or "body-fat" or "height", p.TryGetProperty("dataPointName", out _));
            Assert.True(p.TryGetProperty(Member(type), out _));
        });
    }

    [Theory]
    [MemberData(nameof(RollUps))]
    public async Task RollUp_bodies_conform(string type)
    {
        var end = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var (status, body, raw) = await _h.RollUpAsync(type, end.AddDays(-14), end, "21600s");
        Assert.True(status == HttpStatusCode.OK, raw);
        Conforms("RollUpDataPointsResponse", body);
        Assert.NotEmpty(body.GetProperty("rollupDataPoints").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(DailyRollUps))]
    public async Task DailyRollUp_bodies_conform(string type)
    {
        var (status, body, raw) = await _h.DailyRollUpAsync(type, new DateOnly(2026, 11, 6), new DateOnly(2026, 11, 20));
        Assert.True(status == HttpStatusCode.OK, raw);
        Conforms("DailyRollUpDataPointsResponse", body);
        Assert.NotEmpty(body.GetProperty("rollupDataPoints").EnumerateArray());
    }

    [Theory]
    [InlineData("v4/users/me/identity", "Identity")]
    [InlineData("v4/users/me/profile", "Profile")]
    [InlineData("v4/users/me/settings", "Settings")]
    [InlineData("v4/users/me/pairedDevices", "ListPairedDevicesResponse")]
    public async Task User_bodies_conform(string path, string schema)
    {
        var (status, body, raw) = await _h.GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, raw);
        Conforms(schema, body);
    }

    [Fact]
    public void Sleep_temperature_nan_is_sent_as_a_string_like_google()
    {
        var raw = _h.ListAsync("daily-sleep-temperature-derivations", pageSize: 1000).Result.Raw;
        Assert.Contains("\"relativeNightlyStddev30dCelsius\":\"NaN\"", raw);
    }

    [Theory]
    [InlineData("ansanloms-skills__weight-list.json", "ListDataPointsResponse")]
    [InlineData("ansanloms-skills__sleep-list.trimmed.json", "ListDataPointsResponse")]
    [InlineData("ansanloms-skills__steps-dailyRollUp.trimmed.json", "DailyRollUpDataPointsResponse")]
    [InlineData("arysuri23-mcp-fitbit-air__settings.json", "Settings")]
    [InlineData("arysuri23-mcp-fitbit-air__paired_devices.json", "ListPairedDevicesResponse")]
    public void The_walker_accepts_real_captured_bodies(string file, string schema)
    {
        // proves the checker itself: genuine Google bodies pass it
        Conforms(schema, ShapeTests.Captured(file));
    }
}
