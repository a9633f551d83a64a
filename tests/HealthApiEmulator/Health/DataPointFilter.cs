using System.Globalization;
using System.Text.RegularExpressions;
using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.Health;

internal enum FilterField { IntervalStart, IntervalCivilStart, SamplePhysical, SampleCivil, Date, SessionCivilStart, SleepEnd, SleepCivilEnd, EcgStart }

/// <summary>
/// The AIP-160 subset Google accepts on dataPoints.list/reconcile: restrictions
/// <c>{snake_type}.{member} (&gt;=|&lt;) "literal"</c> joined by AND (sleep also OR), with parentheses.
/// Errors mirror Google's: 400 INVALID_ARGUMENT, "Invalid data point filter: R1, R2.", ErrorInfo reason
/// INVALID_DATA_POINT_FILTER with metadata.detailedReasons, one BadRequest fieldViolation per offending
/// restriction, "(at line L, column C)". Syntax errors: reason INVALID_DATA_POINT_FILTER_SYNTAX.
/// Values compared: physical fields in Unix seconds; civil fields in "civil seconds" (the civil
/// date-time read as if it were UTC); dates as DateOnly.DayNumber.
/// </summary>
internal sealed class DataPointFilter
{
    private const long Slack = 2 * 86400; // block lookup margin: offsets, sessions starting the day before
    private readonly Node _root;

    private DataPointFilter(Node root, string text, IReadOnlySet<FilterField> fields) { _root = root; Text = text; Fields = fields; }

    public string Text { get; }

    /// <summary>The members the filter restricts (valid restrictions only).</summary>
    public IReadOnlySet<FilterField> Fields { get; }

    public static readonly DataPointFilter All = new(new TrueNode(), "", new HashSet<FilterField>());

    public bool Matches(in RawPoint p) => _root.Matches(p);

    /// <summary>Physical instants [Lo, Hi) outside which no matching point's block can lie.</summary>
    public (long Lo, long Hi) Bounds => _root.Bounds();

    // ------------------------------------------------------------------ AST

    private abstract class Node
    {
        public abstract bool Matches(in RawPoint p);
        public abstract (long Lo, long Hi) Bounds();
    }

    private sealed class TrueNode : Node
    {
        public override bool Matches(in RawPoint p) => true;
        public override (long, long) Bounds() => (long.MinValue / 4, long.MaxValue / 4);
    }

    private sealed class AndNode(List<Node> parts) : Node
    {
        public override bool Matches(in RawPoint p) { foreach (var n in parts) if (!n.Matches(p)) return false; return true; }
        public override (long, long) Bounds()
        {
            long lo = long.MinValue / 4, hi = long.MaxValue / 4;
            foreach (var n in parts) { var (l, h) = n.Bounds(); lo = Math.Max(lo, l); hi = Math.Min(hi, h); }
            return (lo, hi);
        }
    }

    private sealed class OrNode(List<Node> parts) : Node
    {
        public override bool Matches(in RawPoint p) { foreach (var n in parts) if (n.Matches(p)) return true; return false; }
        public override (long, long) Bounds()
        {
            long lo = long.MaxValue / 4, hi = long.MinValue / 4;
            foreach (var n in parts) { var (l, h) = n.Bounds(); lo = Math.Min(lo, l); hi = Math.Max(hi, h); }
            return (lo, hi);
        }
    }

    private sealed class Cmp(FilterField field, bool greaterOrEqual, long value) : Node
    {
        public override bool Matches(in RawPoint p)
        {
            long v = field switch
            {
                FilterField.IntervalStart or FilterField.SamplePhysical or FilterField.EcgStart => p.Start,
                FilterField.IntervalCivilStart or FilterField.SampleCivil or FilterField.SessionCivilStart => p.Start + p.StartOffset,
                FilterField.SleepEnd => p.End,
                FilterField.SleepCivilEnd => p.End + p.EndOffset,
                _ => p.Date.DayNumber,
            };
            return greaterOrEqual ? v >= value : v < value;
        }

        public override (long, long) Bounds()
        {
            var asPhysical = field == FilterField.Date ? (value - 719162L) * 86400 : value;
            return greaterOrEqual ? (asPhysical - Slack, long.MaxValue / 4) : (long.MinValue / 4, asPhysical + Slack);
        }
    }

    // ------------------------------------------------------------------ parsing

    private enum Tok { Ident, String, Op, And, Or, Not, LParen, RParen, Other, End }

    private readonly record struct Token(Tok Kind, string Text, int Pos);

    private sealed class SyntaxError(string description, int pos) : Exception(description)
    {
        public int Pos { get; } = pos;
    }

    private static readonly Regex Rfc3339 = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);
    private static readonly Regex CivilDateTime = new(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$", RegexOptions.CultureInvariant);
    private static readonly Regex CivilDate = new(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant);

    public static DataPointFilter Parse(string? text, DataTypeInfo type)
    {
        if (string.IsNullOrWhiteSpace(text)) return All;
        List<Token> tokens;
        try { tokens = Tokenize(text); }
        catch (SyntaxError e) { throw Syntax(text, e.Message, e.Pos); }
        var parser = new Parser(tokens, type);
        Node root;
        try
        {
            root = parser.ParseExpression();
            if (parser.Peek.Kind != Tok.End) throw new SyntaxError($"Unexpected '{parser.Peek.Text}'.", parser.Peek.Pos);
        }
        catch (SyntaxError e) { throw Syntax(text, e.Message, e.Pos); }
        if (parser.Violations.Count > 0)
        {
            var reasons = parser.Violations.Select(v => v.Reason).ToList();
            throw GoogleError.InvalidArgument(
                "Invalid data point filter: " + string.Join(", ", reasons) + ".",
                "INVALID_DATA_POINT_FILTER",
                parser.Violations.Select(v => ("filter", $"{v.Description} ({At(text, v.Pos)})")).ToList(),
                new Dictionary<string, string> { ["detailedReasons"] = string.Join(",", reasons) });
        }
        return new DataPointFilter(root, text, parser.Fields);
    }

    private static GoogleError Syntax(string text, string description, int pos)
        => GoogleError.InvalidArgument(
            "Invalid data point filter: INVALID_DATA_POINT_FILTER_SYNTAX.",
            "INVALID_DATA_POINT_FILTER_SYNTAX",
            new List<(string, string)> { ("filter", $"{description} ({At(text, pos)})") },
            new Dictionary<string, string> { ["detailedReasons"] = "INVALID_DATA_POINT_FILTER_SYNTAX" });

    private static string At(string text, int pos)
    {
        int line = 1, column = 1;
        for (var i = 0; i < pos && i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; column = 1; } else column++;
        }
        return $"at line {line}, column {column}";
    }

    private static List<Token> Tokenize(string s)
    {
        var list = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (c == '"' || c == '\'')
            {
                var quote = c; i++;
                var sb = new System.Text.StringBuilder();
                while (i < s.Length && s[i] != quote)
                {
                    if (s[i] == '\\' && i + 1 < s.Length) i++;
                    sb.Append(s[i]); i++;
                }
                if (i >= s.Length) throw new SyntaxError("Unterminated string literal.", start);
                i++;
                list.Add(new Token(Tok.String, sb.ToString(), start));
                continue;
            }
            if (c is '>' or '<' or '=' or '!' or ':')
            {
                i++;
                if (i < s.Length && s[i] == '=' && c is '>' or '<' or '!') i++;
                list.Add(new Token(Tok.Op, s[start..i], start));
                continue;
            }
            if (c == '(') { list.Add(new Token(Tok.LParen, "(", i++)); continue; }
            if (c == ')') { list.Add(new Token(Tok.RParen, ")", i++)); continue; }
            if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-')
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.' or '-')) i++;
                var word = s[start..i];
                list.Add(new Token(word switch { "AND" => Tok.And, "OR" => Tok.Or, "NOT" => Tok.Not, _ => Tok.Ident }, word, start));
                continue;
            }
            throw new SyntaxError($"Unexpected character '{c}'.", start);
        }
        list.Add(new Token(Tok.End, "end of input", s.Length));
        return list;
    }

    private sealed class Parser(List<Token> tokens, DataTypeInfo type)
    {
        private int _i;
        public readonly List<(string Reason, string Description, int Pos)> Violations = new();
        public readonly HashSet<FilterField> Fields = new();

        public Token Peek => tokens[_i];
        private Token Next() => tokens[_i++];

        // AIP-160: expression = sequence {AND sequence}; factor = term {OR term} (OR binds tighter).
        public Node ParseExpression()
        {
            var parts = new List<Node> { ParseFactor() };
            while (Peek.Kind == Tok.And) { Next(); parts.Add(ParseFactor()); }
            if (Peek.Kind is Tok.Ident or Tok.LParen or Tok.Not)
                throw new SyntaxError($"Expected AND or OR before '{Peek.Text}'.", Peek.Pos);
            return parts.Count == 1 ? parts[0] : new AndNode(parts);
        }

        private Node ParseFactor()
        {
            var parts = new List<Node> { ParseTerm() };
            while (Peek.Kind == Tok.Or)
            {
                var or = Next();
                if (type.Id != "sleep")
                    Violations.Add(("INVALID_DATA_POINT_FILTER_LOGICAL_OPERATOR", $"Logical operator 'OR' is not supported for data type '{type.Snake}'.", or.Pos));
                parts.Add(ParseTerm());
            }
            return parts.Count == 1 ? parts[0] : new OrNode(parts);
        }

        private Node ParseTerm()
        {
            if (Peek.Kind == Tok.Not)
            {
                var not = Next();
                Violations.Add(("INVALID_DATA_POINT_FILTER_LOGICAL_OPERATOR", "Logical operator 'NOT' is not supported.", not.Pos));
                return ParseTerm();
            }
            if (Peek.Kind == Tok.LParen)
            {
                Next();
                var inner = ParseExpression();
                if (Peek.Kind != Tok.RParen) throw new SyntaxError($"Expected ')' but found '{Peek.Text}'.", Peek.Pos);
                Next();
                return inner;
            }
            if (Peek.Kind != Tok.Ident) throw new SyntaxError($"Expected a member name but found '{Peek.Text}'.", Peek.Pos);
            var member = Next();
            if (Peek.Kind != Tok.Op) throw new SyntaxError($"Expected a comparator after '{member.Text}' but found '{Peek.Text}'.", Peek.Pos);
            var op = Next();
            if (Peek.Kind is not (Tok.String or Tok.Ident)) throw new SyntaxError($"Expected a value after '{op.Text}' but found '{Peek.Text}'.", Peek.Pos);
            var arg = Next();
            return Restriction(member, op, arg);
        }

        private Node Restriction(Token member, Token op, Token arg)
        {
            var before = Violations.Count;
            var dot = member.Text.IndexOf('.');
            var prefix = dot < 0 ? member.Text : member.Text[..dot];
            var path = dot < 0 ? "" : member.Text[(dot + 1)..];
            FilterField? field = null;
            if (prefix != type.Snake)
            {
                Violations.Add(("INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION",
                    prefix.Contains('-') || prefix.Any(char.IsUpper)
                        ? $"Data type '{prefix}' in member '{member.Text}' does not match any data type; use the snake_case name '{type.Snake}'."
                        : $"Data type '{prefix}' in member '{member.Text}' does not match the requested data type '{type.Snake}'.",
                    member.Pos));
            }
            else
            {
                field = MemberField(path);
                if (field == null)
                    Violations.Add(("INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER", $"Member '{member.Text}' is not supported for filtering.", member.Pos));
            }
            var ge = op.Text == ">=";
            if (op.Text is not (">=" or "<") || (field == FilterField.EcgStart && !ge))
                Violations.Add(("INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARATOR",
                    $"Comparator '{op.Text}' is not supported for member '{member.Text}'; use {(field == FilterField.EcgStart ? "'>='" : "'>=' or '<'")}.", op.Pos));
            long value = 0;
            if (arg.Kind != Tok.String)
                Violations.Add(("INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE", $"Value '{arg.Text}' for member '{member.Text}' must be a quoted string literal.", arg.Pos));
            else if (field is { } f && !TryValue(f, arg.Text, out value))
            {
                Violations.Add(f is FilterField.IntervalStart or FilterField.SamplePhysical or FilterField.SleepEnd or FilterField.EcgStart
                    ? ("INVALID_DATA_POINT_FILTER_TIMESTAMP_FORMAT", $"Value \"{arg.Text}\" for member '{member.Text}' is not an RFC 3339 timestamp (e.g. \"2026-01-01T00:00:00Z\").", arg.Pos)
                    : f == FilterField.Date
                        ? ("INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT", $"Value \"{arg.Text}\" for member '{member.Text}' is not a date (YYYY-MM-DD).", arg.Pos)
                        : ("INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT", $"Value \"{arg.Text}\" for member '{member.Text}' is not a civil date-time (YYYY-MM-DD[THH:mm:ss]).", arg.Pos));
            }
            if (Violations.Count > before || field == null) return new TrueNode();
            Fields.Add(field.Value);
            return new Cmp(field.Value, ge, value);
        }

        private FilterField? MemberField(string path)
        {
            if (type.Id == "sleep")
                return path switch { "interval.end_time" => FilterField.SleepEnd, "interval.civil_end_time" => FilterField.SleepCivilEnd, _ => null };
            if (type.Id == "electrocardiogram")
                return path == "interval.start_time" ? FilterField.EcgStart : null;
            return type.Kind switch
            {
                RecordKind.Interval => path switch { "interval.start_time" => FilterField.IntervalStart, "interval.civil_start_time" => FilterField.IntervalCivilStart, _ => null },
                RecordKind.Sample => path switch { "sample_time.physical_time" => FilterField.SamplePhysical, "sample_time.civil_time" => FilterField.SampleCivil, _ => null },
                RecordKind.Daily => path == "date" ? FilterField.Date : null,
                RecordKind.Session => path == "interval.civil_start_time" ? FilterField.SessionCivilStart : null,
                _ => null,
            };
        }

        private static bool TryValue(FilterField f, string literal, out long value)
        {
            value = 0;
            switch (f)
            {
                case FilterField.IntervalStart or FilterField.SamplePhysical or FilterField.SleepEnd or FilterField.EcgStart:
                    if (!Rfc3339.IsMatch(literal) || !DateTimeOffset.TryParse(literal, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)) return false;
                    value = instant.ToUnixTimeSeconds();
                    return true;
                case FilterField.Date:
                    if (!CivilDate.IsMatch(literal) || !DateOnly.TryParseExact(literal, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
                    value = date.DayNumber;
                    return true;
                default:
                    if (!CivilDateTime.IsMatch(literal)) return false;
                    var format = literal.Length == 10 ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss";
                    if (!DateTime.TryParseExact(literal, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var civil)) return false;
                    value = (long)(civil - DateTime.UnixEpoch).TotalSeconds;
                    return true;
            }
        }
    }
}
