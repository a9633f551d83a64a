using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Export
{
    /// <summary>What to export where.</summary>
    internal sealed class ExportRequest
    {
        /// <summary>The folder (created when missing).</summary>
        public string Path { get; set; }

        /// <summary>The kinds to export, each into its own file.</summary>
        public IReadOnlyList<ExportKind> Kinds { get; set; } = Array.Empty<ExportKind>();

        public ExportFormat Format { get; set; } = ExportFormat.Csv;

        /// <summary>First civil day. Default: where the folder's file left off (minus the trailing
        /// window), or for a first export the start of the account (<see cref="AccountStart"/>).</summary>
        public DateTime? From { get; set; }

        /// <summary>Last civil day (inclusive). Default and maximum: <see cref="Today"/>.</summary>
        public DateTime? To { get; set; }

        /// <summary>Re-read the whole range instead of only what is new.</summary>
        public bool Full { get; set; }

        /// <summary>Whose data this is (the Google Health user id of the sign-in). The folder records it on its first
        /// run and refuses another account's export afterwards, so two accounts never mix in one folder. Null: not checked.</summary>
        public string Account { get; set; }

        /// <summary>For messages: the profile that signed in (e.g. "default").</summary>
        public string Profile { get; set; }

        /// <summary>The person's current civil date (in their own time zone).</summary>
        public DateTime Today { get; set; }

        /// <summary>The first day of the person's history (the profile's membershipStartDate), asked
        /// at most once and only when a first export has no -From. Null or a null answer: see
        /// <see cref="ExportOptions.DefaultHistoryDays"/>.</summary>
        public Func<CancellationToken, Task<DateTime?>> AccountStart { get; set; }

        /// <summary>Opens a scope, held for the whole run, in which kinds that read the same data
        /// (sleep sessions and sleep stages; a change probe and the full read after it) share one
        /// read (see <see cref="Reading.FitbitReader.ShareReads"/>). Null: every kind reads on its own.</summary>
        public Func<IDisposable> ShareReads { get; set; }

        /// <summary>Keep the API answers in the store (raw_answers) and log each read, so the records can be re-derived
        /// with zero requests. On for API exports; off for kinds that do not read the API (tests' synthetic kinds).</summary>
        public bool KeepRaw { get; set; }

        /// <summary>The API's base address (raw answers are kept by their path below it).</summary>
        public Uri ApiBase { get; set; }

        /// <summary>The 'now' of the reads (a re-parse runs with it again).</summary>
        public Func<DateTimeOffset> Clock { get; set; }

        /// <summary>True when the kinds read through the API: rows parsed by an older parser are re-parsed before the run.</summary>
        public bool CanReplay => KeepRaw;
    }

    /// <summary>How the exporter behaves; the defaults are what Export-FitbitData uses.</summary>
    internal sealed class ExportOptions
    {
        /// <summary>Days before the last complete day that every incremental run reads again,
        /// because a device syncs late and the server recomputes recent days.</summary>
        public int TrailingWindowDays { get; set; } = 3;

        /// <summary>History of a first export when neither -From nor the account start is known.</summary>
        public int DefaultHistoryDays { get; set; } = 365;

        /// <summary>History of an intraday kind's first export when -From is not given (minute data for
        /// a whole account history is rarely wanted by accident).</summary>
        public int DefaultIntradayHistoryDays { get; set; } = 30;

        /// <summary>How long a second export waits for the folder (another export writing it) before failing.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How many kinds are read at the same time (1: one after another). Requests in flight
        /// and per minute are capped by the client's throttle whatever this is.</summary>
        public int MaxConcurrentKinds { get; set; } = 4;

        /// <summary>Progress per kind and overall (called for one kind at a time, from any thread).</summary>
        public Action<ExportProgress> Progress { get; set; }

        /// <summary>Messages for verbose output.</summary>
        public Action<string> Verbose { get; set; }

        /// <summary>Total HTTP requests made so far by the client the kinds read through; the
        /// difference per kind becomes <see cref="ExportResult.Requests"/>.</summary>
        public Func<long> RequestCount { get; set; }

        /// <summary>Errors that concern one kind only (e.g. a scope the person did not grant): the
        /// kind's result carries the error and the export goes on. Everything else stops the export.</summary>
        public Func<Exception, bool> IsKindError { get; set; }

        /// <summary>Called with the final path right before a file is renamed into place (tests use
        /// it to stop a process exactly there).</summary>
        public Action<string> BeforeReplace { get; set; }

        /// <summary>These settings for one run: its events, its request count, and the errors that concern one kind
        /// only (a scope the person did not grant).</summary>
        internal ExportOptions For(EngineEvents events, Func<long> requestCount)
        {
            var run = (ExportOptions)MemberwiseClone();
            if (events?.Progress != null) run.Progress = events.Progress;
            if (events?.Log != null) run.Verbose = message => events.Log(Core.EngineLogLevel.Verbose, message);
            run.RequestCount = run.RequestCount ?? requestCount;
            run.IsKindError = run.IsKindError ?? (e => e is Api.MissingScopeException);
            return run;
        }
    }

    /// <summary>What an export would do for one kind (-WhatIf) before it does it.</summary>
    public sealed class ExportPlanItem
    {
        public string Kind { get; internal set; }
        public string File { get; internal set; }
        public bool FileExists { get; internal set; }

        /// <summary>Days that will be read; null when there is nothing to read.</summary>
        public DateTime? From { get; internal set; }
        public DateTime? To { get; internal set; }

        /// <summary>The whole range is read (no sync state yet, or -Full, or -From before the first synced day).</summary>
        public bool FullRange { get; internal set; }

        /// <summary>e.g. "read 2026-11-17..2026-11-20 and merge into weight.csv".</summary>
        public string Action { get; internal set; }

        internal ExportKind ExportKind { get; set; }
    }

    /// <summary>The outcome for one kind: one object per kind on the pipeline.</summary>
    public sealed class ExportResult
    {
        public string Kind { get; internal set; }

        /// <summary>Full path of the kind's file.</summary>
        public string File { get; internal set; }

        public ExportFormat Format { get; internal set; }

        /// <summary>Rows whose key was not in the file before.</summary>
        public long RowsAdded { get; internal set; }

        /// <summary>Rows whose key was there with different values (late data, corrections).</summary>
        public long RowsUpdated { get; internal set; }

        /// <summary>Rows inside the re-read days that the server no longer has.</summary>
        public long RowsRemoved { get; internal set; }

        public long RowsTotal { get; internal set; }

        /// <summary>Days read this run (null when nothing needed reading).</summary>
        public DateTime? From { get; internal set; }
        public DateTime? To { get; internal set; }

        /// <summary>HTTP requests this kind cost.</summary>
        public long Requests { get; internal set; }

        /// <summary>False when the file already held exactly this content (it was not rewritten).</summary>
        public bool Changed { get; internal set; }

        /// <summary>Set when this kind failed on its own (see <see cref="ExportOptions.IsKindError"/>).</summary>
        public Exception Error { get; internal set; }
    }

    /// <summary>Progress report: the current kind and the whole export.</summary>
    public sealed class ExportProgress
    {
        public string Kind { get; internal set; }
        public int KindIndex { get; internal set; }
        public int KindCount { get; internal set; }

        /// <summary>Last day read so far for this kind.</summary>
        public DateTime? Day { get; internal set; }
        public long Rows { get; internal set; }

        /// <summary>0–100 within the current kind.</summary>
        public int KindPercent { get; internal set; }

        /// <summary>0–100 over all kinds.</summary>
        public int OverallPercent { get; internal set; }

        public string Status { get; internal set; }
        public bool Completed { get; internal set; }
    }
}
