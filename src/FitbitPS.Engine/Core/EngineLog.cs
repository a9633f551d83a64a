using System;

namespace FitbitPS.Engine.Core
{
    public enum EngineLogLevel { Debug, Verbose, Warning, Information }

    /// <summary>
    /// The engine's only way to say things: a plain callback the cmdlets forward to WriteVerbose/
    /// WriteDebug/WriteWarning. Messages never contain a token or secret.
    /// </summary>
    public delegate void EngineLogger(EngineLogLevel level, string message);

    internal static class EngineLogExtensions
    {
        public static void Verbose(this EngineLogger log, string message) => log?.Invoke(EngineLogLevel.Verbose, message);
        public static void Debug(this EngineLogger log, string message) => log?.Invoke(EngineLogLevel.Debug, message);
        public static void Warning(this EngineLogger log, string message) => log?.Invoke(EngineLogLevel.Warning, message);
        public static void Information(this EngineLogger log, string message) => log?.Invoke(EngineLogLevel.Information, message);
    }
}
