using System;

namespace FitbitPS.Engine.Export
{
    /// <summary>Row counts of one merge.</summary>
    internal sealed class MergeCounts
    {
        public long Added;
        public long Updated;
        public long Removed;
        public long Total;
        public bool Changed => Added + Updated + Removed > 0;

        public void Add(MergeCounts other)
        {
            Added += other.Added;
            Updated += other.Updated;
            Removed += other.Removed;
        }
    }

    /// <summary>What "the same row" and "the same day" mean for every kind: the key's order and the row's civil day.</summary>
    internal static class KindMerging
    {
        public static DateTime DayOf(object value)
        {
            switch (value)
            {
                case DateTime d: return d.Date;
                case DateTimeOffset o: return o.DateTime.Date; // the civil day at the person's offset
                default: throw new FormatException("the row has no day");
            }
        }

        public static int CompareKeys(object[] a, object[] b)
        {
            for (int i = 0; i < a.Length; i++)
            {
                int c = CompareValues(a[i], b[i]);
                if (c != 0) return c;
            }
            return 0;
        }

        private static int CompareValues(object a, object b)
        {
            if (a == null) return b == null ? 0 : -1;
            if (b == null) return 1;
            if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
            return ((IComparable)a).CompareTo(b);
        }

        /// <summary>Equal as the file would show them: null and "" are both an empty cell; times must have the same
        /// offset too (DateTimeOffset.Equals compares instants only).</summary>
        public static bool SameValue(object stored, object probed)
        {
            if (probed is string s && s.Length == 0) probed = null;
            if (stored is string f && f.Length == 0) stored = null;
            if (stored is DateTimeOffset a && probed is DateTimeOffset b) return a.EqualsExact(b);
            return Equals(stored, probed);
        }
    }
}
