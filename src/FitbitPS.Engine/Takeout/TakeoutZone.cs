using System;
using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.Takeout
{
    /// <summary>
    /// Where the person was when, rebuilt from the archive, so UTC minute stamps fall into the same calendar days the API
    /// gives. A day is lived in one zone (as Google's civil days are): the home zone (Your Profile/Profile.csv
    /// "timezone", or the one given), unless the sleeps and exercises of the day carry another UTC offset (a trip); then a
    /// zone that has every offset seen on that stretch of days (so a DST change during the trip is exact), or a fixed
    /// offset when none does. Day D runs from midnight of D in its zone to midnight of D+1 in the next day's zone.
    /// A legacy-only archive has no offsets: its days are the home zone's.
    /// </summary>
    internal sealed class TakeoutZone
    {
        private readonly TimeZoneInfo _home;
        private readonly Dictionary<DateTime, List<(long At, int Offset)>> _seen = new Dictionary<DateTime, List<(long, int)>>();
        private Dictionary<DateTime, TimeZoneInfo> _zones;
        private DateTime _first, _last;
        private readonly Dictionary<DateTime, long> _starts = new Dictionary<DateTime, long>();

        public TakeoutZone(TimeZoneInfo home) { _home = home ?? TimeZoneInfo.Local; }

        public TimeZoneInfo Home => _home;

        /// <summary>An instant with the UTC offset the archive gives for it, inside the day it belongs to (a sleep's end,
        /// which lies in its wake day; an exercise's start). A sleep's start is not: the night before a flight home can
        /// start in the trip's zone after home midnight.</summary>
        public void Observe(DateTimeOffset at, TimeSpan offset)
        {
            if (_zones != null) throw new InvalidOperationException("Observations come before the first lookup.");
            var day = (at.UtcDateTime + offset).Date;
            if (!_seen.TryGetValue(day, out var list)) _seen[day] = list = new List<(long, int)>();
            list.Add((at.ToUnixTimeSeconds(), (int)offset.TotalSeconds));
        }

        private void Build()
        {
            _zones = new Dictionary<DateTime, TimeZoneInfo>();
            if (_seen.Count == 0) return;
            var days = _seen.Keys.OrderBy(d => d).ToList();
            _first = days[0]; _last = days[days.Count - 1];
            // Days away: an offset the home zone does not have at that instant.
            var away = new SortedDictionary<DateTime, bool>();
            for (var d = _first; d <= _last; d = d.AddDays(1))
            {
                if (_seen.TryGetValue(d, out var obs)) away[d] = obs.Any(o => Offset(_home, o.At) != o.Offset);
                else away[d] = away.TryGetValue(d.AddDays(-1), out var before) && before; // no sleep that day: where the day before was
            }
            TimeZoneInfo[] candidates = null;
            var run = new List<DateTime>();
            void Close()
            {
                if (run.Count == 0) return;
                var obs = run.Where(_seen.ContainsKey).SelectMany(d => _seen[d]).ToList();
                candidates = candidates ?? TimeZoneInfo.GetSystemTimeZones().ToArray();
                var zone = candidates.FirstOrDefault(z => obs.All(o => Offset(z, o.At) == o.Offset));
                foreach (var d in run)
                {
                    var z = zone;
                    if (z == null)
                    {
                        var offset = _seen.TryGetValue(d, out var o) ? o[o.Count - 1].Offset : obs[obs.Count - 1].Offset;
                        z = TimeZoneInfo.CreateCustomTimeZone("UTC" + offset, TimeSpan.FromSeconds(offset), "UTC" + offset, "UTC" + offset);
                    }
                    _zones[d] = z;
                }
                run.Clear();
            }
            foreach (var pair in away)
            {
                if (pair.Value) run.Add(pair.Key);
                else Close();
            }
            Close();
        }

        private static int Offset(TimeZoneInfo zone, long at) => (int)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(at)).TotalSeconds;

        /// <summary>The zone civil day <paramref name="day"/> is lived in.</summary>
        public TimeZoneInfo ZoneOn(DateTime day)
        {
            if (_zones == null) Build();
            return _zones.TryGetValue(day.Date, out var z) ? z : _home;
        }

        /// <summary>Unix seconds of midnight of <paramref name="day"/> in its zone (a skipped midnight moves forward, a
        /// repeated one takes the first).</summary>
        public long DayStart(DateTime day)
        {
            day = day.Date;
            if (_starts.TryGetValue(day, out var start)) return start;
            var zone = ZoneOn(day);
            var local = DateTime.SpecifyKind(day, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
            var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
            start = new DateTimeOffset(local, offset).ToUnixTimeSeconds();
            if (_starts.Count > 100000) _starts.Clear();
            _starts[day] = start;
            return start;
        }

        /// <summary>The zone of the day whose span holds the instant.</summary>
        private TimeZoneInfo ZoneAt(long unixSeconds)
        {
            var guess = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.Date;
            for (var d = guess.AddDays(-1); d <= guess.AddDays(1); d = d.AddDays(1))
                if (DayStart(d) <= unixSeconds && unixSeconds < DayStart(d.AddDays(1))) return ZoneOn(d);
            return ZoneOn(guess);
        }

        /// <summary>The person's calendar date at the instant (their offset then). Flying home west, the last hours of
        /// the trip's day are already the next date there, and that date repeats its first hours at home, as Google counts.</summary>
        public DateTime DayOf(long unixSeconds)
        {
            var offset = ZoneAt(unixSeconds).GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
            return (DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime + offset).Date;
        }

        /// <summary>The instant in the person's own offset then.</summary>
        public DateTimeOffset Local(DateTimeOffset instant)
        {
            var offset = ZoneAt(instant.ToUnixTimeSeconds()).GetUtcOffset(instant);
            return instant.ToOffset(offset);
        }

        /// <summary>A wall-clock time of the legacy files (no zone) as an instant: in the zone of its own day.</summary>
        public DateTimeOffset FromLocal(DateTime wall)
        {
            var zone = ZoneOn(wall.Date);
            var local = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
            var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
            return new DateTimeOffset(local, offset);
        }
    }
}
