using System;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Takeout
{
    /// <summary>A Takeout archive that cannot be read at all (missing, not a zip, nothing of Fitbit in it). A single damaged
    /// file inside an archive is not an exception: it becomes a warning naming the file while the rest imports.</summary>
    [Serializable]
    public sealed class TakeoutException : FitbitEngineException
    {
        public const string NotFound = "FitbitTakeoutNotFound";
        public const string Unreadable = "FitbitTakeoutUnreadable";
        public const string NoFitbitData = "FitbitTakeoutNoFitbitData";

        public TakeoutException(string errorId, FitbitErrorKind kind, string message, string path, string recommendedAction, Exception inner = null)
            : base(errorId, kind, message, inner)
        {
            Target = path;
            RecommendedAction = recommendedAction;
        }
    }
}
