using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Export
{
    /// <summary>What one kind's file holds: the days it covers and how many rows.</summary>
    internal sealed class ExportKindState
    {
        /// <summary>File name inside the folder, e.g. weight.csv.</summary>
        public string File { get; set; }

        public ExportFormat Format { get; set; }

        /// <summary>First civil day the file covers.</summary>
        public DateTime From { get; set; }

        /// <summary>Last civil day that was complete (before the person's "today") when it was read;
        /// the next run starts a trailing window before it.</summary>
        public DateTime LastCompleteDay { get; set; }

        public long RowCount { get; set; }
    }

    /// <summary>
    /// The folder's state file (<see cref="FileName"/>): a schema version, whose account the folder holds and,
    /// per kind, what is complete. Deterministic content (no timestamps) so an interrupted and re-run export leaves
    /// the same bytes as an uninterrupted one. Older schema versions are migrated on load; a newer
    /// version or an unreadable file is an error that leaves the folder untouched.
    /// </summary>
    internal sealed class ExportState
    {
        public const string FileName = "fitbitps-export.json";

        /// <summary>The schema this version writes. Bump it and add a step to <see cref="s_migrations"/>
        /// when the shape changes.</summary>
        public const int CurrentSchemaVersion = 2;

        /// <summary>Migration hook: s_migrations[v] turns a version-v document into version v+1.</summary>
        private static readonly Dictionary<int, Func<JObject, JObject>> s_migrations = new Dictionary<int, Func<JObject, JObject>>
        {
            // 2 adds "account"; a version-1 folder learns it on its next run.
            [1] = doc => doc,
        };

        public int SchemaVersion { get; private set; } = CurrentSchemaVersion;

        /// <summary>The Google Health user id whose data the folder holds (null until a run records it).</summary>
        public string Account { get; set; }

        /// <summary>Per kind name (ordinal order, so the file is written the same way every time).</summary>
        public SortedDictionary<string, ExportKindState> Kinds { get; } = new SortedDictionary<string, ExportKindState>(StringComparer.Ordinal);

        /// <summary>Reads the state file of a folder; an empty state when there is none.</summary>
        public static ExportState Load(string folder)
        {
            string path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) return new ExportState();
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ExportException(ExportErrorKind.StateCorrupted, $"The export state file '{path}' cannot be read: {e.Message}", path, e);
            }
            return Parse(text, path);
        }

        internal static ExportState Parse(string text, string path)
        {
            JObject doc;
            try
            {
                doc = JObject.Parse(text);
            }
            catch (JsonException e)
            {
                throw Corrupted(path, "it is not valid JSON (" + e.Message + ")", e);
            }
            var versionToken = doc["schemaVersion"];
            if (versionToken == null || versionToken.Type != JTokenType.Integer)
                throw Corrupted(path, "it has no schemaVersion", null);
            int version = versionToken.Value<int>();
            if (version > CurrentSchemaVersion)
                throw new ExportException(ExportErrorKind.StateFromNewerVersion,
                    $"The export state file '{path}' was written by a newer FitbitPS (state schema {version}; this version understands up to {CurrentSchemaVersion}). " +
                    "Update the FitbitPS module, or export into another folder. Nothing was changed.", path);
            if (version < 1)
                throw Corrupted(path, $"its schemaVersion {version} is not valid", null);
            while (version < CurrentSchemaVersion)
            {
                if (!s_migrations.TryGetValue(version, out var step))
                    throw Corrupted(path, $"no migration from state schema {version}", null);
                doc = step(doc);
                version++;
            }

            var state = new ExportState { SchemaVersion = CurrentSchemaVersion };
            var account = doc["account"];
            if (account != null && account.Type != JTokenType.String && account.Type != JTokenType.Null)
                throw Corrupted(path, "its account is not a string", null);
            state.Account = account?.Type == JTokenType.String ? account.Value<string>() : null;
            if (!(doc["kinds"] is JObject kinds))
                throw Corrupted(path, "it has no kinds object", null);
            foreach (var property in kinds.Properties())
            {
                try
                {
                    var k = (JObject)property.Value;
                    var entry = new ExportKindState
                    {
                        File = RequiredString(k, "file"),
                        Format = (ExportFormat)Enum.Parse(typeof(ExportFormat), RequiredString(k, "format"), ignoreCase: false),
                        From = ParseDay(RequiredString(k, "from")),
                        LastCompleteDay = ParseDay(RequiredString(k, "lastCompleteDay")),
                        RowCount = k.Value<long>("rowCount"),
                    };
                    if (entry.File.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || entry.File.StartsWith(".", StringComparison.Ordinal))
                        throw new FormatException("file is not a plain file name");
                    state.Kinds[property.Name] = entry;
                }
                catch (Exception e) when (e is FormatException || e is InvalidCastException || e is ArgumentException || e is NullReferenceException || e is OverflowException)
                {
                    throw Corrupted(path, $"the entry for '{property.Name}' is not valid ({e.Message})", e);
                }
            }
            return state;
        }

        private static string RequiredString(JObject o, string name)
        {
            var token = o[name];
            if (token == null || token.Type != JTokenType.String) throw new FormatException($"'{name}' is missing");
            return token.Value<string>();
        }

        private static DateTime ParseDay(string text) =>
            DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None);

        private static ExportException Corrupted(string path, string problem, Exception inner) =>
            new ExportException(ExportErrorKind.StateCorrupted,
                $"The export state file '{path}' is damaged: {problem}. Nothing was changed. " +
                "Restore it, or delete it to have the next export re-read the whole range (existing rows are merged, not duplicated).",
                path, inner);

        /// <summary>The file's exact text: stable property order, two-space indent, LF.</summary>
        public string ToJson()
        {
            var kinds = new JObject();
            foreach (var pair in Kinds)
            {
                kinds[pair.Key] = new JObject
                {
                    ["file"] = pair.Value.File,
                    ["format"] = pair.Value.Format.ToString(),
                    ["from"] = pair.Value.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["lastCompleteDay"] = pair.Value.LastCompleteDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["rowCount"] = pair.Value.RowCount,
                };
            }
            var doc = new JObject { ["schemaVersion"] = CurrentSchemaVersion };
            if (Account != null) doc["account"] = Account;
            doc["kinds"] = kinds;
            return doc.ToString(Formatting.Indented).Replace("\r\n", "\n") + "\n";
        }
    }
}
