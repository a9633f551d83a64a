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
/// Detailed reasons as live (evidence §1.3, §6.5): OR (non-sleep) and NOT → _EXPRESSION_STRUCTURE; a member
/// without a type prefix → _RESTRICTION_COMPARABLE; another data type's snake name → _COLLECTION_MISMATCH; a
/// prefix that is no data type → _DATA_TYPE_RESTRICTION; physical and civil bounds together →
/// _MIXED_TIME_RESTRICTIONS; upper ≤ lower on one member → INVALID_TIME_RANGE; respiratory-rate-sleep-summary
/// has no filterable members (_DATA_TYPE_MEMBER).
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
        public List<Node> Parts => parts;
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
        public List<Node> Parts => parts;
        public override bool Matches(in RawPoint p) { foreach (var n in parts) if (n.Matches(p)) return true; return false; }
        public override (long, long) Bounds()
        {
            long lo = long.MaxValue / 4, hi = long.MinValue / 4;
            foreach (var n in parts) { var (l, h) = n.Bounds(); lo = Math.Min(lo, l); hi = Math.Max(hi, h); }
            return (lo, hi);
        }
    }

    private sealed class Cmp(FilterField member, bool greaterOrEqual, long value, int pos) : Node
    {
        // (not named "field": inside a property accessor that is C# 14's backing-field keyword)
        private readonly FilterField _member = member;
        public FilterField Field => _member;
        public bool GreaterOrEqual => greaterOrEqual;
        public long Value => value;
        public int Pos => pos;

        public override bool Matches(in RawPoint p)
        {
            long v = _member switch
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
            var asPhysical = _member == FilterField.Date ? (value - 719162L) * 86400 : value;
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
        CheckTimeRestrictions(root, parser.Violations);
        if (parser.Violations.Count > 0)
        {
            var violations = parser.Violations.OrderBy(v => v.Pos).ToList(); // stable: text order
            var reasons = violations.Select(v => v.Reason).ToList();
            throw GoogleError.InvalidArgument(
                "Invalid data point filter: " + string.Join(", ", reasons) + ".",
                "INVALID_DATA_POINT_FILTER",
                violations.Select(v => ("filter", $"{v.Description} ({At(text, v.Pos)})")).ToList(),
                new Dictionary<string, string> { ["detailedReasons"] = string.Join(",", reasons) });
        }
        return new DataPointFilter(root, text, parser.Fields);
    }

    private static bool IsPhysical(FilterField f) => f is FilterField.IntervalStart or FilterField.SamplePhysical or FilterField.SleepEnd or FilterField.EcgStart;

    private static bool IsCivil(FilterField f) => f is FilterField.IntervalCivilStart or FilterField.SampleCivil or FilterField.SessionCivilStart or FilterField.SleepCivilEnd;

    /// <summary>Rules between restrictions (evidence §1.3 "Rules the emulator does not enforce — gaps", §6.5; the
    /// Filters guide as summarised in index id 70752076887): physical and civil bounds never mix in one filter
    /// (INVALID_DATA_POINT_FILTER_MIXED_TIME_RESTRICTIONS), and within one conjunction an upper bound must be
    /// strictly above the lower bound on the same member (INVALID_TIME_RANGE). Descriptions are the guide's.</summary>
    private static void CheckTimeRestrictions(Node root, List<(string Reason, string Description, int Pos)> violations)
    {
        var all = new List<Cmp>();
        void Collect(Node n)
        {
            switch (n)
            {
                case Cmp c: all.Add(c); break;
                case AndNode a: a.Parts.ForEach(Collect); break;
                case OrNode o: o.Parts.ForEach(Collect); break;
            }
        }
        Collect(root);
        all.Sort((x, y) => x.Pos.CompareTo(y.Pos));
        var first = all.FirstOrDefault(c => IsPhysical(c.Field) || IsCivil(c.Field));
        if (first != null)
        {
            var physical = IsPhysical(first.Field);
            var mixing = all.FirstOrDefault(c => physical ? IsCivil(c.Field) : IsPhysical(c.Field));
            if (mixing != null)
                violations.Add(("INVALID_DATA_POINT_FILTER_MIXED_TIME_RESTRICTIONS", "Filter cannot contain both physical and civil time ranges", mixing.Pos));
        }

        void Conjunction(Node n)
        {
            var cmps = new List<Cmp>();
            void Flatten(Node m)
            {
                switch (m)
                {
                    case Cmp c: cmps.Add(c); break;
                    case AndNode a: a.Parts.ForEach(Flatten); break;
                    case OrNode o: o.Parts.ForEach(Conjunction); break; // each alternative on its own
                }
            }
            Flatten(n);
            foreach (var group in cmps.GroupBy(c => c.Field))
            {
                var lower = group.Where(c => c.GreaterOrEqual).MaxBy(c => c.Value);
                var upper = group.Where(c => !c.GreaterOrEqual).MinBy(c => c.Value);
                if (lower != null && upper != null && upper.Value <= lower.Value)
                    violations.Add(("INVALID_TIME_RANGE", "Query end time must be strictly larger than start time", upper.Pos));
            }
        }
        Conjunction(root);
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
                // Evidence §1.3: Google names it INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE (Filters guide, index
                // ids 70752076887, 57510150756). Sleep's OR (Discovery, kkdev92) is kept, UNCONFIRMED live.
                if (type.Id != "sleep")
                    Violations.Add(("INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE", $"Logical operator 'OR' is not supported for data type '{type.Snake}'.", or.Pos));
                parts.Add(ParseTerm());
            }
            return parts.Count == 1 ? parts[0] : new OrNode(parts);
        }

        private Node ParseTerm()
        {
            if (Peek.Kind == Tok.Not)
            {
                var not = Next();
                Violations.Add(("INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE", "Logical operator 'NOT' is not supported.", not.Pos));
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
            if (dot < 0)
            {
                // Evidence §1.3: a bare member without a type prefix ("startTime >=") is RESTRICTION_COMPARABLE live
                // (index ids 62341199406, 54555854703, 58836484985).
                Violations.Add(("INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE",
                    $"Member '{member.Text}' has no data type prefix; members are named '{type.Snake}.<member>'.", member.Pos));
            }
            else if (prefix != type.Snake)
            {
                if (DataTypes.ById.Values.Any(t => t.Snake == prefix))
                    // Evidence §1.3, §6.5: another data type's member (Filters guide: COLLECTION_MISMATCH).
                    Violations.Add(("INVALID_DATA_POINT_FILTER_COLLECTION_MISMATCH",
                        $"Data type '{prefix}' in member '{member.Text}' does not match the requested data type '{type.Snake}'.", member.Pos));
                else
                    // Evidence §1.3: camelCase or path-style names match no data type (index id 54273831811).
                    Violations.Add(("INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION",
                        $"Data type '{prefix}' in member '{member.Text}' does not match any data type; use the snake_case name '{type.Snake}'.", member.Pos));
            }
            else
            {
                field = MemberField(path);
                if (field == null)
                    Violations.Add(("INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER",
                        type.Id == "respiratory-rate-sleep-summary"
                            ? $"Data type '{type.Snake}' has no filterable members."
                            : $"Member '{member.Text}' is not supported for filtering.", member.Pos));
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
            return new Cmp(field.Value, ge, value, member.Pos);
        }

        private FilterField? MemberField(string path)
        {
            // Evidence §1.3: respiratory-rate-sleep-summary has "no filterable members" (index id 56427746347).
            if (type.Id == "respiratory-rate-sleep-summary") return null;
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
