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
            WatchRunspace();
            Connections.AddOrUpdate(Key(profile), connection, (_, old) => { if (!ReferenceEquals(old, connection)) old.Dispose(); return connection; });
            return connection;
        }

        /// <summary>A runspace that closes (a job, ForEach-Object -Parallel, a closed tab) takes its connections with it.</summary>
        private static void WatchRunspace()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null || !Watched.TryAdd(runspace.InstanceId, true)) return;
            runspace.StateChanged += (sender, e) =>
            {
                if (e.RunspaceStateInfo.State != RunspaceState.Closed && e.RunspaceStateInfo.State != RunspaceState.Broken) return;
                var prefix = runspace.InstanceId + "|";
                foreach (var key in Connections.Keys)
                    if (key.StartsWith(prefix, StringComparison.Ordinal) && Connections.TryRemove(key, out var c)) c.Dispose();
                Watched.TryRemove(runspace.InstanceId, out _);
            };
        }

        private static readonly ConcurrentDictionary<Guid, bool> Watched = new ConcurrentDictionary<Guid, bool>();

        public static void Remove(string profile)
        {
            if (Connections.TryRemove(Key(profile), out var c)) c.Dispose();
        }
    }
}
