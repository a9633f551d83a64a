using System;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Export
{
    /// <summary>Why an export could not run. Every one of them leaves the folder's files as they were.</summary>
    public enum ExportErrorKind
    {
        /// <summary>The path is a file, or not a valid folder path.</summary>
        InvalidPath,

        /// <summary>The folder (or a file in it) cannot be written: read-only, no permission.</summary>
        FolderNotWritable,

        /// <summary>Another export holds the folder's lock and did not finish within the wait.</summary>
        FolderBusy,

        /// <summary>The state file was written by a newer FitbitPS.</summary>
        StateFromNewerVersion,

        /// <summary>The state file is not valid JSON or lacks required fields.</summary>
        StateCorrupted,

        /// <summary>The folder already holds this kind in the other format.</summary>
        FormatMismatch,

        /// <summary>An existing export file cannot be read back (edited by hand, truncated).</summary>
        ExistingFileUnreadable,

        /// <summary>The disk filled up while writing.</summary>
        DiskFull,

        /// <summary>Any other I/O failure while writing.</summary>
        WriteFailed,

        /// <summary>The folder holds the export of another Google Health account.</summary>
        AccountMismatch,

        /// <summary>A file of the export is a symbolic link (FitbitPS replaces files whole and will not write through one).</summary>
        FileIsLink,

        /// <summary>The store file is not a readable FitbitPS store (damaged, or another SQLite database).</summary>
        StoreDamaged,

        /// <summary>The store was written by a newer FitbitPS.</summary>
        StoreFromNewerVersion,

        /// <summary>An offline read or query names a folder that has no store.</summary>
        StoreNotFound,

        /// <summary>A re-parse needs an API answer the store does not hold.</summary>
        RawAnswerMissing,

        /// <summary>The store has no data of that profile (offline reads), or several and none was chosen.</summary>
        ProfileNotInStore,

        /// <summary>The store holds nothing to show for the profile (a report of an empty store).</summary>
        NoData,
    }

    /// <summary>An export that could not run or could not finish; existing files are untouched.</summary>
    /// <remarks>ErrorId is "FitbitExport" + the <see cref="ExportErrorKind"/> name (e.g. FitbitExportFolderBusy).</remarks>
    [Serializable]
    public sealed class ExportException : FitbitEngineException
    {
        public ExportException(ExportErrorKind kind, string message, string path = null, Exception inner = null)
            : base("FitbitExport" + kind, CategoryOf(kind), message, inner)
        {
            Reason = kind;
            Path = path;
        }

        /// <summary>Why the export could not run.</summary>
        public ExportErrorKind Reason { get; }

        private static FitbitErrorKind CategoryOf(ExportErrorKind kind)
        {
            switch (kind)
            {
                case ExportErrorKind.InvalidPath: return FitbitErrorKind.InvalidArgument;
                case ExportErrorKind.FolderNotWritable: return FitbitErrorKind.PermissionDenied;
                case ExportErrorKind.FolderBusy: return FitbitErrorKind.ResourceBusy;
                case ExportErrorKind.StateFromNewerVersion: return FitbitErrorKind.InvalidData;
                case ExportErrorKind.StateCorrupted: return FitbitErrorKind.InvalidData;
                case ExportErrorKind.FormatMismatch: return FitbitErrorKind.InvalidArgument;
                case ExportErrorKind.ExistingFileUnreadable: return FitbitErrorKind.InvalidData;
                case ExportErrorKind.DiskFull: return FitbitErrorKind.LimitsExceeded;
                case ExportErrorKind.AccountMismatch: return FitbitErrorKind.InvalidArgument;
                case ExportErrorKind.FileIsLink: return FitbitErrorKind.Security;
                case ExportErrorKind.StoreDamaged: return FitbitErrorKind.InvalidData;
                case ExportErrorKind.StoreFromNewerVersion: return FitbitErrorKind.InvalidData;
                case ExportErrorKind.StoreNotFound: return FitbitErrorKind.NotFound;
                case ExportErrorKind.RawAnswerMissing: return FitbitErrorKind.NotFound;
                case ExportErrorKind.ProfileNotInStore: return FitbitErrorKind.NotFound;
                case ExportErrorKind.NoData: return FitbitErrorKind.NotFound;
                default: return FitbitErrorKind.NotSpecified;
            }
        }

        /// <summary>The folder or file the error is about.</summary>
        public string Path { get; }
    }
}
