using System;
using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.Export
{
    /// <summary>What an export is asked to do (Export-FitbitData's parameters); FitbitConnection plans and runs it.</summary>
    public sealed class ExportSpec
    {
        /// <summary>The export folder (a full path).</summary>
        public string Path { get; set; }

        /// <summary>Kind names (ExportKinds.Names) or "All"; empty means All.</summary>
        public IReadOnlyList<string> DataTypes { get; set; } = new[] { "All" };

        /// <summary>With "All", also the intraday kinds (minute activity, raw heart rate).</summary>
        public bool IncludeIntraday { get; set; }

        public ExportFormat Format { get; set; } = ExportFormat.Csv;

        /// <summary>First calendar day (default: where the folder left off, minus the trailing window).</summary>
        public DateTime? From { get; set; }

        /// <summary>Last calendar day, inclusive (default: today).</summary>
        public DateTime? To { get; set; }

        /// <summary>Read the whole range again instead of only what is new.</summary>
        public bool Full { get; set; }

        /// <summary>The same export of only these kinds (those -WhatIf/-Confirm approved).</summary>
        public ExportSpec Only(IEnumerable<string> kinds)
        {
            var names = kinds?.ToList() ?? throw new ArgumentNullException(nameof(kinds));
            if (names.Count == 0) throw new ArgumentException("An export of no kinds is no export (an empty list would mean All).", nameof(kinds));
            var copy = (ExportSpec)MemberwiseClone();
            copy.DataTypes = names;
            copy.IncludeIntraday = false; // named kinds are taken as named
            return copy;
        }
    }
}
