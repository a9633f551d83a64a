using System;
using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.Api
{
    /// <summary>Calendar days From..To, both inclusive, in the person's own calendar (no zone).</summary>
    public readonly struct CivilRange : IEquatable<CivilRange>
    {
        public CivilRange(DateTime from, DateTime toInclusive)
        {
            From = DateTime.SpecifyKind(from.Date, DateTimeKind.Unspecified);
            To = DateTime.SpecifyKind(toInclusive.Date, DateTimeKind.Unspecified);
            if (To < From) throw Core.FitbitInputException.Reversed(From, To);
        }

        public DateTime From { get; }
        public DateTime To { get; }
        /// <summary>Exclusive end (the day after To).</summary>
        public DateTime EndExclusive => To.AddDays(1);
        public int Days => (int)(To - From).TotalDays + 1;

        public bool Equals(CivilRange other) => From == other.From && To == other.To;
        public override bool Equals(object obj) => obj is CivilRange r && Equals(r);
        public override int GetHashCode() => From.GetHashCode() * 397 ^ To.GetHashCode();
        public override string ToString() => From == To ? $"{From:yyyy-MM-dd}" : $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}";
    }

    /// <summary>A roll-up chunk over physical time, [Start, End).</summary>
    public readonly struct PhysicalChunk
    {
        public PhysicalChunk(DateTimeOffset start, DateTimeOffset end) { Start = start; End = end; }
        public DateTimeOffset Start { get; }
        public DateTimeOffset End { get; }
    }

    /// <summary>
    /// Plans the fewest requests the API allows for a (data type, range):
    /// <list type="bullet">
    /// <item>list/reconcile take one civil filter over the whole range (no range limit) at the type's
    /// largest page size, so a range costs ceil(points / pageSize) requests (at least 1);</item>
    /// <item>dailyRollUp is split at the type's range limit (14 or 90 days), chunks aligned to the range
    /// start (windowSizeDays = 1 aligns every day): ceil(days / limit) requests, one page each (≤ 90 windows);</item>
    /// <item>rollUp (physical windows) is split at the range limit too, but each chunk holds a whole
    /// multiple of 10,000 windows when the limit allows more, so every page is full:
    /// max(ceil(span / limit), ceil(windows / 10,000)) requests.</item>
    /// </list>
    /// Per data type the reader picks the cheaper method: daily measurements (resting heart rate, HRV…)
    /// via list with a date filter — one request for up to 10,000 days — and daily activity totals via
    /// dailyRollUp (one value per day instead of 1,440 minute points).
    /// </summary>
    internal static class RequestPlanner
    {
        /// <summary>Largest pageSize the API accepts for list/reconcile (sleep and exercise: 25).</summary>
        public const int MaxPageSize = 10000;

        /// <summary>Default range when neither From/To nor Days is given: the last 7 days.</summary>
        public const int DefaultDays = 7;

        /// <summary>
        /// Resolves cmdlet parameters into a range. "Today" is the calendar date of <paramref name="now"/>
        /// on this machine's clock and zone (the person usually sits at their own computer; asking
        /// Google for the profile's zone would cost a request). A range may reach one day past today
        /// (a person east of this machine is already there); anything later is an error.
        /// </summary>
        public static CivilRange Resolve(DateTime? from, DateTime? to, int? days, DateTimeOffset now, int defaultDays = DefaultDays)
        {
            var today = now.ToLocalTime().Date;
            CheckDays(from, to, days);
            DateTime f, t;
            if (days.HasValue)
            {
                if (from.HasValue) { f = from.Value.Date; t = f.AddDays(days.Value - 1); }
                else { t = (to ?? today).Date; f = t.AddDays(-(days.Value - 1)); }
            }
            else
            {
                t = (to ?? (from.HasValue && from.Value.Date > today ? from.Value.Date : today)).Date;
                f = (from ?? t.AddDays(-(defaultDays - 1))).Date;
            }
            if (t < f) throw Core.FitbitInputException.Reversed(f, t);
            if (f > today.AddDays(1)) throw Core.FitbitInputException.Future(f, t, today, onlyTo: false);
            if (t > today.AddDays(1)) throw Core.FitbitInputException.Future(f, t, today, onlyTo: true);
            if (f.Year < 2000) throw Core.FitbitInputException.TooEarly(f, t);
            return new CivilRange(f, t);
        }

        /// <summary>-Days goes with one of -From and -To at most, and is 1 or more.</summary>
        public static void CheckDays(DateTime? from, DateTime? to, int? days)
        {
            if (days.HasValue && from.HasValue && to.HasValue)
                throw Core.FitbitInputException.DaysWithRange();
            if (days.HasValue && days.Value < 1)
                throw new Core.FitbitInputException(Core.FitbitInputException.InvalidRange, $"-Days must be 1 or more (was {days.Value}).", days.Value, "Give -Days 1 or more.");
        }

        /// <summary>AIP-160 civil filter for list/reconcile over the whole range.</summary>
        public static string ListFilter(DataTypeInfo type, CivilRange range) => type.CivilFilter(range.From, range.To);

        /// <summary>dailyRollUp chunks: consecutive, ≤ the type's limit, oldest first.</summary>
        public static IReadOnlyList<CivilRange> DailyRollUpChunks(DataTypeInfo type, CivilRange range)
        {
            var chunks = new List<CivilRange>();
            var limit = type.RollUpRangeLimitDays;
            for (var start = range.From; start <= range.To; start = start.AddDays(limit))
            {
                var end = start.AddDays(limit - 1);
                chunks.Add(new CivilRange(start, end < range.To ? end : range.To));
            }
            return chunks;
        }

        /// <summary>
        /// Windows per rollUp chunk: floor(range cap ÷ window). Why not more: Google treats a roll-up's
        /// pageSize as a bound on the query, never a page — pageSize ≤ floor(cap ÷ window), and without a
        /// pageSize the implied one is the number of windows in the range — so a request may hold at most
        /// that many windows, and it answers all of them at once with no page token
        /// (google-health-live-evidence.md §0.1, §1.1).
        /// </summary>
        public static long RollUpChunkWindows(DataTypeInfo type, TimeSpan window)
        {
            if (window < TimeSpan.FromSeconds(1))
                throw new Core.FitbitInputException(Core.FitbitInputException.InvalidArgument, $"-WindowSize {window} is shorter than one second.", window,
                    "Give -WindowSize 00:00:01 or longer, e.g. (New-TimeSpan -Hours 1).");
            var limitWindows = TimeSpan.FromDays(type.RollUpRangeLimitDays).Ticks / window.Ticks;
            if (limitWindows < 1)
                throw new Core.FitbitInputException(Core.FitbitInputException.InvalidArgument,
                    $"A {window} window is longer than the {type.RollUpRangeLimitDays}-day range Google allows one {type.Id} roll-up to cover.", window,
                    $"Give -WindowSize {TimeSpan.FromDays(type.RollUpRangeLimitDays)} or shorter, or -Method DailyRollUp for whole days.");
            return limitWindows;
        }

        /// <summary>rollUp chunks over [start, end): window-aligned to start, oldest first.</summary>
        public static IReadOnlyList<PhysicalChunk> RollUpChunks(DataTypeInfo type, DateTimeOffset start, DateTimeOffset end, TimeSpan window)
        {
            var chunks = new List<PhysicalChunk>();
            var step = TimeSpan.FromTicks(RollUpChunkWindows(type, window) * window.Ticks);
            for (var s = start; s < end; s += step)
            {
                var e = s + step;
                chunks.Add(new PhysicalChunk(s, e < end ? e : end));
            }
            return chunks;
        }

        /// <summary>Pages needed for <paramref name="points"/> items at <paramref name="pageSize"/> (an empty answer still costs one).</summary>
        public static int Pages(long points, int pageSize) => points <= 0 ? 1 : (int)((points + pageSize - 1) / pageSize);

        /// <summary>
        /// The fewest requests the API allows to read <paramref name="type"/> over <paramref name="range"/>
        /// with <paramref name="method"/>, given how many points (list/reconcile) or windows (rollUp) the
        /// server holds. Tests and the benchmark assert requests made == this.
        /// </summary>
        /// <param name="type">The data type.</param>
        /// <param name="method">List, Reconcile, DailyRollUp or RollUp.</param>
        /// <param name="range">The calendar days.</param>
        /// <param name="knownPointCount">Points (list/reconcile) or non-empty windows (rollUp) the server holds for the range.</param>
        /// <param name="window">rollUp window (default one day).</param>
        /// <param name="physicalSpan">rollUp only: the range's length in physical time when a DST change
        /// makes it an hour longer or shorter than days × 24 h.</param>
        public static int MinimumRequests(DataTypeInfo type, DataTypeMethods method, CivilRange range, long knownPointCount = 0, TimeSpan? window = null, TimeSpan? physicalSpan = null)
        {
            switch (method)
            {
                case DataTypeMethods.List:
                case DataTypeMethods.Reconcile:
                    return Pages(knownPointCount, type.ServedPageSize);
                case DataTypeMethods.DailyRollUp:
                    return (range.Days + type.RollUpRangeLimitDays - 1) / type.RollUpRangeLimitDays;
                case DataTypeMethods.RollUp:
                    {
                        var w = window ?? TimeSpan.FromDays(1);
                        // The physical span of the civil range is its days × 24 h give or take a DST hour;
                        // one request covers at most floor(cap ÷ window) windows and is never paged.
                        var spanTicks = (physicalSpan ?? TimeSpan.FromDays(range.Days)).Ticks;
                        var chunkTicks = RollUpChunkWindows(type, w) * w.Ticks;
                        return (int)((spanTicks + chunkTicks - 1) / chunkTicks);
                    }
                default:
                    throw new ArgumentException("Choose one method.", nameof(method));
            }
        }

        // ------------------------------------------------------------ per reader (what the cmdlets cost)

        /// <summary>Get-FitbitActivity (daily): one dailyRollUp per chunk of each of its seven types.</summary>
        public static int MinimumRequestsForActivityDays(CivilRange range)
            => Records.Mapping.ActivityRecords.DayTypes.Sum(t => MinimumRequests(t, DataTypeMethods.DailyRollUp, range));

        /// <summary>Get-FitbitBodyWeight: the weight and body-fat pages plus one request for the latest height.</summary>
        public static int MinimumRequestsForBodyWeight(CivilRange range, long weighIns, long bodyFatReadings)
            => MinimumRequests(DataTypeCatalog.Weight, DataTypeMethods.List, range, weighIns)
             + MinimumRequests(DataTypeCatalog.BodyFat, DataTypeMethods.List, range, bodyFatReadings) + 1;

        /// <summary>Get-FitbitSleep / Get-FitbitSleepStage: pages of 25 sessions.</summary>
        public static int MinimumRequestsForSleep(CivilRange range, long sessions)
            => MinimumRequests(DataTypeCatalog.Sleep, DataTypeMethods.List, range, sessions);

        /// <summary>Get-FitbitHeartRate (resting): one list with a date filter per 10,000 days.</summary>
        public static int MinimumRequestsForRestingHeartRate(CivilRange range, long days)
            => MinimumRequests(DataTypeCatalog.DailyRestingHeartRate, DataTypeMethods.List, range, days);

        /// <summary>Get-FitbitHeartRate -Raw: pages of 10,000 samples.</summary>
        public static int MinimumRequestsForHeartRateSamples(CivilRange range, long samples)
            => MinimumRequests(DataTypeCatalog.HeartRate, DataTypeMethods.List, range, samples);

        public static TimeSpan WindowOf(Records.IntradayInterval interval)
        {
            switch (interval)
            {
                case Records.IntradayInterval.Minute: return TimeSpan.FromMinutes(1);
                case Records.IntradayInterval.FifteenMinutes: return TimeSpan.FromMinutes(15);
                default: return TimeSpan.FromHours(1);
            }
        }
    }
}
