using System;
using FitbitPS.Engine.Auth;

namespace FitbitPS.Engine.Core
{
    /// <summary>
    /// A parameter value the engine cannot use (a reversed or future range, a date that reads two ways).
    /// One id per mistake, the same from every cmdlet: a reader and Export-FitbitData say the same thing
    /// about the same reversed range.
    /// </summary>
    [Serializable]
    public sealed class FitbitInputException : FitbitEngineException
    {
        public const string InvalidRange = "FitbitInvalidRange";
        public const string InvalidDate = "FitbitInvalidDate";
        public const string AmbiguousDate = "FitbitAmbiguousDate";
        public const string InvalidArgument = "FitbitInvalidArgument";
        public const string UnknownDataType = "FitbitUnknownDataType";
        public const string UnsupportedMethod = "FitbitUnsupportedMethod";
        public const string InvalidQuery = "FitbitInvalidQuery";
        public const string NotKeptOffline = "FitbitNotKeptOffline";

        public FitbitInputException(string errorId, string message, object target, string recommendedAction)
            : base(errorId, FitbitErrorKind.InvalidArgument, message)
        {
            Target = target;
            RecommendedAction = recommendedAction;
        }

        /// <summary>-From after -To.</summary>
        public static FitbitInputException Reversed(DateTime from, DateTime to) =>
            new FitbitInputException(InvalidRange,
                $"The range is reversed: -From {from:yyyy-MM-dd} is after -To {to:yyyy-MM-dd}.",
                RangeText(from, to), $"Swap them: -From {to:yyyy-MM-dd} -To {from:yyyy-MM-dd}.");

        /// <summary>A range that starts or ends after today.</summary>
        public static FitbitInputException Future(DateTime from, DateTime to, DateTime today, bool onlyTo) =>
            onlyTo
                ? new FitbitInputException(InvalidRange, $"-To {to:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}).",
                    RangeText(from, to), $"Use -To {today:yyyy-MM-dd} or leave -To out.")
                : new FitbitInputException(InvalidRange, $"The range {from:yyyy-MM-dd}..{to:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}); there is no data yet.",
                    RangeText(from, to), $"Choose days up to {today:yyyy-MM-dd}.");

        public static FitbitInputException TooEarly(DateTime from, DateTime to) =>
            new FitbitInputException(InvalidRange, $"-From {from:yyyy-MM-dd} is before any Fitbit data could exist.",
                RangeText(from, to), "Choose -From 2000-01-01 or later.");

        public static FitbitInputException DaysWithRange() =>
            new FitbitInputException(InvalidRange, "Use either -Days or both -From and -To, not all three.",
                null, "Give -Days alone (the last N days), -Days with -From or -To (N days from or to that day), or -From and -To.");

        private static string RangeText(DateTime from, DateTime to)
            => string.Format(System.Globalization.CultureInfo.InvariantCulture, "-From {0:yyyy-MM-dd} -To {1:yyyy-MM-dd}", from, to);
    }
}
