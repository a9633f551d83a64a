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
}
