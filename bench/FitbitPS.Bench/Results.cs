using System.Globalization;
using System.Text;

namespace FitbitPS.Bench;

/// <summary>One line of the table.</summary>
public sealed record ResultRow(string Scenario, string Metric, string FitbitPs, string Bound, string Ratio, string Target, string Pass)
{
    public static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>The table every scenario adds to, plus notes.</summary>
public sealed class ResultTable
{
    private readonly List<ResultRow> _rows = new();
    private readonly List<string> _notes = new();

    public IReadOnlyList<ResultRow> Rows => _rows;
    public IReadOnlyList<string> Notes => _notes;

    public void Add(ResultRow row) { lock (_rows) _rows.Add(row); }
    public void Note(string note) { lock (_notes) _notes.Add(note); }

    /// <summary>A ratio row: pass when ratio ≤ max (or ≥ min).</summary>
    public void Ratio(string scenario, string metric, double fitbitPs, double bound, string unit, double? max = null, double? min = null, string format = "0.##", string? boundLabel = null)
    {
        var ratio = bound == 0 ? double.NaN : fitbitPs / bound;
        string target = max.HasValue ? $"≤ {ResultRow.F(max.Value)}" : min.HasValue ? $"≥ {ResultRow.F(min.Value)}" : "—";
        bool pass = max.HasValue ? ratio <= max.Value + 1e-9 : !min.HasValue || ratio >= min.Value - 1e-9;
        Add(new ResultRow(scenario, metric, ResultRow.F(fitbitPs, format) + unit, boundLabel ?? ResultRow.F(bound, format) + unit,
            ResultRow.F(ratio), target, max.HasValue || min.HasValue ? (pass ? "pass" : "FAIL") : "—"));
    }

    public string ToText(bool markdown)
    {
        var header = new[] { "Scenario", "Metric", "FitbitPS", "Baseline / bound", "Ratio", "Target", "Result" };
        var rows = _rows.OrderBy(r => r.Scenario[0]).Select(r => new[] { r.Scenario, r.Metric, r.FitbitPs, r.Bound, r.Ratio, r.Target, r.Pass }).ToList();
        var sb = new StringBuilder();
        if (markdown)
        {
            sb.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
            sb.Append('|').AppendJoin("", header.Select(_ => "---|")).AppendLine();
            foreach (var r in rows) sb.Append("| ").AppendJoin(" | ", r.Select(c => c.Replace("|", "\\|"))).AppendLine(" |");
            return sb.ToString();
        }
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i >= 2 && i <= 4 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        sb.AppendLine(Line(header));
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in rows) sb.AppendLine(Line(r));
        return sb.ToString();
    }
}
