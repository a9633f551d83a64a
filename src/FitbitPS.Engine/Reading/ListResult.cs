using System;
using System.Collections.Generic;
using System.Threading;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Reading
{
    /// <summary>The pages of one list read: one or more segments (page chains), oldest segment first.</summary>
    internal sealed class ListResult : IDisposable
    {
        public readonly List<ListSegment> Segments = new List<ListSegment>();
        public Exception Failure;
        private int _references = 1;

        /// <summary>One more holder (a shared read keeps the pages for a later identical read).</summary>
        public ListResult AddReference() { Interlocked.Increment(ref _references); return this; }

        /// <summary>Releases one holder; the pages go with the last.</summary>
        public void Dispose()
        {
            if (Interlocked.Decrement(ref _references) != 0) return;
            foreach (var s in Segments) s.Pages.Dispose();
        }
    }

    /// <summary>One page chain: the pages of one filter, newest first as Google sent them.</summary>
    internal sealed class ListSegment
    {
        public ListSegment(string filter, bool reconcile) { Filter = filter; Reconcile = reconcile; }
        public readonly string Filter;
        public readonly bool Reconcile;
        public readonly PageSpool Pages = new PageSpool();
    }
}
