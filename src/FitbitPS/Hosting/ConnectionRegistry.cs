using System;
using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using FitbitPS.Engine;

namespace FitbitPS.Hosting
{
    /// <summary>
    /// One FitbitConnection per profile per runspace (keyed by the runspace's InstanceId): every cmdlet of a runspace
    /// shares the profile's connection pool, throttle and settings; another runspace (a job, a parallel ForEach) has its own.
    /// </summary>
    internal static class ConnectionRegistry
    {
        private static readonly ConcurrentDictionary<string, FitbitConnection> Connections =
            new ConcurrentDictionary<string, FitbitConnection>(StringComparer.OrdinalIgnoreCase);

        private static string Key(string profile) => (Runspace.DefaultRunspace?.InstanceId.ToString() ?? "none") + "|" + profile;

        public static FitbitConnection Get(string profile) => Connections.TryGetValue(Key(profile), out var c) ? c : null;

        /// <summary>Keeps <paramref name="connection"/> for the profile; the one it replaces is closed.</summary>
        public static FitbitConnection Set(string profile, FitbitConnection connection)
        {
            Connections.AddOrUpdate(Key(profile), connection, (_, old) => { if (!ReferenceEquals(old, connection)) old.Dispose(); return connection; });
            return connection;
        }

        public static void Remove(string profile)
        {
            if (Connections.TryRemove(Key(profile), out var c)) c.Dispose();
        }
    }
}
