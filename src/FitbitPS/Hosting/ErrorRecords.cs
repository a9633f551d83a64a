using System;
using System.Management.Automation;
using FitbitPS.Engine.Core;

namespace FitbitPS.Hosting
{
    /// <summary>Engine exceptions as ErrorRecords: stable ErrorId, a category, the recommended action, and the engine's
    /// own target (a day range, a profile) when it names one.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object target)
        {
            if (exception is AggregateException agg && agg.InnerExceptions.Count == 1) exception = agg.InnerException;
            string id; ErrorCategory category; string action = null;
            switch (exception)
            {
                case FitbitEngineException fe:
                    id = fe.ErrorId; category = Map(fe.Kind); action = fe.RecommendedAction; target = fe.Target ?? target; break;
                case OperationCanceledException _:
                    id = "FitbitOperationCancelled"; category = ErrorCategory.OperationStopped; break;
                case ArgumentException _:
                    id = "FitbitInvalidArgument"; category = ErrorCategory.InvalidArgument; break;
                default:
                    id = "FitbitUnexpectedError"; category = ErrorCategory.NotSpecified; break;
            }
            var record = new ErrorRecord(exception, id, category, target);
            if (!string.IsNullOrEmpty(action)) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
            return record;
        }

        public static ErrorCategory Map(FitbitErrorKind kind)
        {
            switch (kind)
            {
                case FitbitErrorKind.Authentication: return ErrorCategory.AuthenticationError;
                case FitbitErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FitbitErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case FitbitErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FitbitErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case FitbitErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case FitbitErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case FitbitErrorKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                case FitbitErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case FitbitErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case FitbitErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case FitbitErrorKind.Security: return ErrorCategory.SecurityError;
                case FitbitErrorKind.Cancelled: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
