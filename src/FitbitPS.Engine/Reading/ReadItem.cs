using System;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Reading
{
    /// <summary>One item of a read: a record, or the failure of one chunk of the range (the rest of
    /// the range still streams; cmdlets turn failures into non-terminating ErrorRecords).</summary>
    public sealed class ReadItem<T>
    {
        private ReadItem(T record, ChunkFailedException error) { Record = record; Error = error; }

        public T Record { get; }
        public ChunkFailedException Error { get; }
        public bool IsError => Error != null;

        public static ReadItem<T> Of(T record) => new ReadItem<T>(record, null);
        public static ReadItem<T> Failed(ChunkFailedException error) => new ReadItem<T>(default(T), error ?? throw new ArgumentNullException(nameof(error)));

        public ReadItem<TOther> Map<TOther>(Func<T, TOther> map) => IsError ? ReadItem<TOther>.Failed(Error) : ReadItem<TOther>.Of(map(Record));
    }

    /// <summary>Progress of a read, for Write-Progress.</summary>
    public sealed class ReadProgress
    {
        public ReadProgress(string activity, string status, int requestsDone, int? requestsPlanned, RequestWait wait = null)
        {
            Activity = activity; Status = status; RequestsDone = requestsDone; RequestsPlanned = requestsPlanned; Wait = wait;
        }

        public string Activity { get; }
        public string Status { get; }
        public int RequestsDone { get; }
        public int? RequestsPlanned { get; }
        /// <summary>Set when the client is waiting (back-off, Retry-After, quota).</summary>
        public RequestWait Wait { get; }
        /// <summary>0–100 when the number of requests is known in advance, else -1.</summary>
        public int PercentComplete => RequestsPlanned is int p && p > 0 ? Math.Min(100, RequestsDone * 100 / p) : -1;
    }
}
