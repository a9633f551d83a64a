using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Export;

namespace FitbitPS.Engine.Store
{
    /// <summary>The tables a store holds: one per export kind FitbitPS knows (so the views and SQL users find every table
    /// from the first export on), plus any other kind an export brings (tests' synthetic kinds).</summary>
    internal static class KindTables
    {
        private static readonly Lazy<IReadOnlyList<ExportKind>> s_known = new Lazy<IReadOnlyList<ExportKind>>(() => ExportKinds.Kinds(null));

        /// <summary>The kinds of a person's Fitbit data, by -DataType name (their shape only: they cannot read).</summary>
        public static IReadOnlyList<ExportKind> Known => s_known.Value;

        public static IReadOnlyList<KindTable> All(IEnumerable<ExportKind> extra)
        {
            var byName = new Dictionary<string, KindTable>(StringComparer.OrdinalIgnoreCase);
            foreach (var kind in Known) byName[kind.Name] = kind.Table;
            foreach (var kind in extra ?? Enumerable.Empty<ExportKind>()) byName[kind.Name] = kind.Table;
            return byName.Values.ToList();
        }

        /// <summary>The known kind whose records are of type <paramref name="recordType"/> (offline reads).</summary>
        public static ExportKind ForRecordType(Type recordType) => Known.FirstOrDefault(k => k.RecordType == recordType);
    }
}
