using System;

namespace FitbitPS.Engine.Core
{
    /// <summary>What kind of failure an engine exception is; the cmdlets map it to an ErrorCategory.</summary>
    public enum FitbitErrorKind
    {
        NotSpecified,
        Authentication,
        PermissionDenied,
        NotFound,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        ResourceUnavailable,
        ResourceBusy,
        LimitsExceeded,
        Timeout,
        ConnectionError,
        Security,
        Cancelled,
    }

    /// <summary>
    /// Base of every typed engine failure. <see cref="ErrorId"/> is stable (scripts and tests match on it);
    /// the message is for people and never contains a token or secret.
    /// </summary>
    [Serializable]
    public class FitbitEngineException : Exception
    {
        public FitbitEngineException(string errorId, FitbitErrorKind kind, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        /// <summary>Stable identifier, e.g. "FitbitRefreshTokenRejected".</summary>
        public string ErrorId { get; }

        public FitbitErrorKind Kind { get; }

        /// <summary>What the person can do about it (also part of the message).</summary>
        public string RecommendedAction { get; set; }

        /// <summary>What the failure is about (a profile, a day range, a file), for ErrorRecord.TargetObject;
        /// null: the cmdlet names its own target.</summary>
        public object Target { get; set; }

        /// <summary>Nothing else the command would still ask for can succeed (the sign-in is gone, access was
        /// withdrawn, Google cannot be reached): a read stops at once with this one error instead of one error
        /// per chunk and data type.</summary>
        public virtual bool EndsCommand => false;
    }
}
