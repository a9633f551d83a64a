using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Http;

namespace FitbitPS.Engine
{
    /// <summary>
    /// The front door of one signed-in profile: it owns what every request of that profile shares (one HTTP handler,
    /// so one connection pool; the per-user request throttle; the person's settings and time zone; who signed in)
    /// and gives out readers and exports. Every front end (cmdlets, demo, test host, bench, tests) goes through it,
    /// one per profile, kept as long as the sign-in: per-sign-in state lives here and nowhere static.
    /// </summary>
    public sealed class FitbitConnection : IDisposable
    {
        private readonly IAccessTokenSource _tokens;
        private readonly Uri _apiBase;
        private readonly HttpMessageHandler _handler;
        private readonly Action<HealthClient> _configure;
        private readonly string _healthUserId, _profile; // given up front when there is no session (tests, bench)
        private readonly KeptAnswer<Api.Wire.Settings> _settings = new KeptAnswer<Api.Wire.Settings>();
        private readonly KeptAnswer<DateTime?> _accountStart = new KeptAnswer<DateTime?>();

        /// <summary>The connection of a signed-in session (FitbitAuthenticator.ConnectAsync / OpenAsync).</summary>
        public FitbitConnection(FitbitSession session)
            : this(session, session?.Endpoints.HealthApiBase, session?.HttpHandlerFactory?.Invoke(), session?.ConfigureClient, null)
        {
            Session = session;
        }

        /// <summary>A connection on bare tokens (benchmark, tests): the Health user id and profile name given, if any.</summary>
        internal FitbitConnection(IAccessTokenSource tokens, Uri healthApiBase, HttpMessageHandler handler = null,
            Action<HealthClient> configure = null, string healthUserId = null, RequestThrottle throttle = null, string profile = null)
        {
            _profile = profile;
            Throttle = throttle ?? new RequestThrottle();
            _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
            _apiBase = healthApiBase ?? throw new ArgumentNullException(nameof(healthApiBase));
            _handler = handler ?? HealthClient.DefaultHandler();
            _configure = configure;
            _healthUserId = healthUserId;
        }

        /// <summary>The signed-in session (tokens, profile), or null for a connection on bare tokens.</summary>
        public FitbitSession Session { get; }

        /// <summary>The profile's name, or null.</summary>
        public string Profile => Session?.Profile ?? _profile;

        /// <summary>At most 4 requests at once and Google's 300 a minute, for every command of this profile.</summary>
        public RequestThrottle Throttle { get; }

        /// <summary>How exports run (windows, history defaults, lock timeout, concurrency); tests shorten them.</summary>
        internal ExportOptions ExportTuning { get; set; } = new ExportOptions();

        /// <summary>A client for one command: its own request count and its own "the command has ended" state, on the
        /// profile's handler, throttle and settings.</summary>
        internal HealthClient CreateClient(EngineEvents events)
        {
            var client = new HealthClient(_tokens, _apiBase, _handler, Throttle, disposeHandler: false) { SettingsCache = _settings };
            _configure?.Invoke(client);
            if (events != null)
            {
                client.Log = events.Log;
                if (events.Waiting != null) client.Waiting += events.Waiting;
                if (events.RequestCompleted != null) client.RequestCompleted += events.RequestCompleted;
                // A refresh during this call is told to this call's streams.
                if (Session != null && events.Log != null) Session.Log = events.Log;
            }
            return client;
        }

        /// <summary>A reader for one command (a reader's first command-ending failure ends only its own command).</summary>
        public FitbitReader OpenReader(EngineEvents events = null) => new FitbitReader(CreateClient(events));

        /// <summary>The Google Health user id of whoever signed in: saved with the profile; a profile saved before the id
        /// was kept asks Google once, through this command's client (its retries, throttle and errors), and keeps it.</summary>
        private async Task<string> HealthUserIdAsync(HealthClient client, CancellationToken cancellationToken)
        {
            if (Session == null) return _healthUserId;
            if (!string.IsNullOrWhiteSpace(Session.HealthUserId)) return Session.HealthUserId;
            var identity = await client.GetIdentityAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(identity.HealthUserId))
                throw new HealthApiException("Google's answer to the identity request names no Google Health user (no healthUserId), so the export " +
                    "cannot tell whose folder this is; nothing was written. Run the export again; if it keeps failing, run Connect-Fitbit -Force.",
                    200, errorId: HealthClient.AnswerUnreadable) { RecommendedAction = "Run the export again; if it keeps failing, run Connect-Fitbit -Force." };
            Session.RememberHealthUserId(identity.HealthUserId);
            return identity.HealthUserId;
        }

        /// <summary>What an export would do per kind (file, range, action), for -WhatIf/-Confirm; reads no data yet.</summary>
        public async Task<IReadOnlyList<ExportPlanItem>> PlanExportAsync(ExportSpec spec, EngineEvents events, CancellationToken cancellationToken)
        {
            var (request, options, client) = await PrepareAsync(spec, events, cancellationToken).ConfigureAwait(false);
            using (client) return await Exporter.PlanAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Runs an export: one result per kind; a kind that fails carries its error and leaves its file as it was.</summary>
        public async Task<IReadOnlyList<ExportResult>> ExportAsync(ExportSpec spec, EngineEvents events, CancellationToken cancellationToken)
        {
            var (request, options, client) = await PrepareAsync(spec, events, cancellationToken).ConfigureAwait(false);
            using (client) return await Exporter.RunAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        private async Task<(ExportRequest, ExportOptions, HealthClient)> PrepareAsync(ExportSpec spec, EngineEvents events, CancellationToken cancellationToken)
        {
            if (spec == null) throw new ArgumentNullException(nameof(spec));
            var client = CreateClient(events);
            try
            {
                var reader = new FitbitReader(client);
                var request = new ExportRequest
                {
                    Path = spec.Path,
                    Kinds = ExportKinds.Select(reader, spec.DataTypes, spec.IncludeIntraday),
                    Format = spec.Format,
                    From = spec.From?.Date,
                    To = spec.To?.Date,
                    Full = spec.Full,
                    Profile = Profile,
                    Today = reader.Resolve(null, null, 1).To, // the same "today" the readers use
                    AccountStart = ct => _accountStart.GetAsync(c => ExportKinds.AccountStartAsync(client, c), ct),
                    // Sleep and SleepStage read the same sleep list; a probe's request is the first of the read it may lead to.
                    ShareReads = reader.ShareReads,
                    KeepRaw = true,
                    ApiBase = _apiBase,
                    Clock = client.Clock,
                };
                // The folder records whose data it holds, and refuses another person's (checked when planning too).
                request.Account = await HealthUserIdAsync(client, cancellationToken).ConfigureAwait(false);
                var options = ExportTuning.For(events, () => RequestTally.Current?.Count ?? client.RequestCount);
                return (request, options, client);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <summary>Re-derives the records of a folder's store from its kept API answers, with zero requests (no sign-in
        /// needed), and brings the files up to date. <paramref name="profile"/>: null for the store's only profile.</summary>
        public static Task<IReadOnlyList<ExportResult>> ReparseAsync(string path, string profile, IEnumerable<string> dataTypes, EngineEvents events,
            CancellationToken cancellationToken)
        {
            var kinds = ExportKinds.Select(null, dataTypes, includeIntraday: true);
            return Exporter.ReparseAsync(path, profile, kinds, new ExportOptions().For(events, () => 0), cancellationToken);
        }

        /// <summary>Ends the sign-in's session. The HTTP handler is left to the garbage collector, not disposed: a command
        /// of the same runspace may still be reading through this connection when Connect-Fitbit replaces it (a nested
        /// prompt, a pipeline that signs in again), and its idle connections close by themselves.</summary>
        public void Dispose() => Session?.Dispose();
    }
}
