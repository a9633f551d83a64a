using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FitbitPS.Engine.Export;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// A folder an older FitbitPS exported (files + fitbitps-export.json, no store) moves into the store once: its rows
    /// are loaded from its files (so nothing is read again and nothing is lost), its state becomes the profile's sync
    /// state, and the state file goes. Its files stay as they are, byte for byte, until their data changes.
    /// </summary>
    internal static class LegacyState
    {
        public static IDictionary<string, SyncEntry> Entries(ExportState state) =>
            state.Kinds.ToDictionary(p => p.Key, p => new SyncEntry
            {
                Kind = p.Key,
                Format = p.Value.Format,
                From = p.Value.From,
                LastCompleteDay = p.Value.LastCompleteDay,
                RowCount = p.Value.RowCount,
            }, StringComparer.OrdinalIgnoreCase);

        public static void Import(FitbitStore store, string folder, string profile, string account, IReadOnlyList<ExportKind> kinds, Action<string> verbose)
        {
            string statePath = Path.Combine(folder, ExportState.FileName);
            if (!File.Exists(statePath)) return;
            var state = ExportState.Load(folder);
            // A store with profiles already took the folder in (a crash came before the state file was deleted).
            if (SyncStates.Profiles(store).Count == 0)
            {
                var byName = KindTables.Known.Concat(kinds).GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
                try
                {
                    store.Run(() =>
                    {
                        var connection = store.Connection;
                        using (var transaction = connection.BeginTransaction(deferred: false))
                        {
                            FitbitStore.Execute(connection, transaction, "INSERT INTO profiles (profile, health_user_id, files_folder, created_at) VALUES ($p, $a, '', $t);",
                                ("$p", profile), ("$a", state.Account ?? account), ("$t", FitbitStore.Now()));
                            foreach (var pair in state.Kinds)
                            {
                                if (!byName.TryGetValue(pair.Key, out var kind)) continue;
                                string file = Path.Combine(folder, pair.Value.File);
                                long rows = File.Exists(file) ? kind.ImportFile(store, transaction, profile, file, pair.Value.Format) : -1;
                                if (rows < 0) continue; // no file, or other columns: the kind is read again from the start
                                var entry = Entries(state)[pair.Key];
                                entry.RowCount = rows;
                                SyncStates.Save(connection, transaction, profile, entry);
                                // The file already holds these rows: it stays as it is until they change.
                                FitbitStore.Execute(connection, transaction, "INSERT INTO kind_versions (profile, kind, data_version, file_version, file_stamp) VALUES ($p, $k, 1, 1, $s);",
                                    ("$p", profile), ("$k", kind.Name), ("$s", SyncStates.StampOf(file)));
                                verbose?.Invoke($"{kind.Name}: {rows} rows of {pair.Value.File} taken into the store.");
                            }
                            transaction.Commit();
                        }
                    }, "take in the older export");
                }
                catch (ExistingFileException bad)
                {
                    throw new ExportException(ExportErrorKind.ExistingFileUnreadable,
                        $"Cannot take {bad.Message} into the store: the folder was left as it was. Move the file away (or fix it) and run the export again.", bad.Path, bad)
                    { RecommendedAction = $"Move '{bad.Path}' out of the folder (that kind is then read again), or fix the row, and run the export again." };
                }
            }
            ExportFolder.TryDelete(statePath);
        }
    }
}
