using System;

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
    }

    /// <summary>An export that could not run or could not finish; existing files are untouched.</summary>
    public sealed class ExportException : Exception
    {
        public ExportException(ExportErrorKind kind, string message, string path = null, Exception inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Path = path;
        }

        public ExportErrorKind Kind { get; }

        /// <summary>The folder or file the error is about.</summary>
        public string Path { get; }
    }
}
