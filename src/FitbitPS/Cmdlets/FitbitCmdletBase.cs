using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Binding;
using FitbitPS.Engine;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Core;
using FitbitPS.Hosting;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Base of every FitbitPS cmdlet: -Profile, a cancellation token (Ctrl+C → <see cref="StopProcessing"/>), the
    /// profile's connection shared by the runspace, one pump for every engine call (<see cref="EnginePump"/>), and
    /// engine exceptions as ErrorRecords (<see cref="ErrorRecords"/>).
    /// </summary>
    public abstract class FitbitCmdletBase : PSCmdlet, IDisposable
    {
        private CancellationTokenSource _cts = new CancellationTokenSource();
        private readonly EnginePump _pump = new EnginePump();
        private bool _debugWithoutVerbose;

        /// <summary>The FitbitPS profile (a signed-in account); "default" unless named. Binds from the
        /// Profile property of piped objects (Get-FitbitContext -ListAvailable | …); Tab completes it.</summary>
        /// <value>Default: default</value>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileCompleter))]
        [ValidateNotNullOrEmpty]
        public string Profile { get; set; } = "default";

        /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
        protected CancellationToken CancellationToken => _cts.Token;

        protected override void BeginProcessing()
        {
            _cts?.Dispose();
            _cts = new CancellationTokenSource();
            _debugWithoutVerbose = MyInvocation.BoundParameters.TryGetValue("Debug", out var d) && d is SwitchParameter s && s.IsPresent
                                   && !MyInvocation.BoundParameters.ContainsKey("Verbose");
        }

        protected override void StopProcessing() => _cts?.Cancel();

        /// <summary>A verbose message. Why not WriteVerbose alone: PowerShell turns -Debug (without -Verbose) into
        /// "Inquire" for verbose messages, so whoever asks for -Debug would confirm every line; with -Debug these
        /// lines go to the debug stream, beside the request lines.</summary>
        protected void WriteVerboseMessage(string message)
        {
            if (_debugWithoutVerbose) WriteDebug(message);
            else WriteVerbose(message);
        }

        /// <summary>Engine messages → verbose/debug/warning/information, written on the pipeline thread.</summary>
        protected EngineLogger EngineLog => (level, message) => Post(() =>
        {
            switch (level)
            {
                case EngineLogLevel.Debug: WriteDebug(message); break;
                case EngineLogLevel.Warning: WriteWarning(message); break;
                case EngineLogLevel.Information: WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "FitbitPS" }); break;
                default: WriteVerboseMessage(message); break;
            }
        });

        /// <summary>This command's streams as the engine's events: log lines, and every wait as a verbose line.</summary>
        protected EngineEvents Events(Action<RequestWait> onWait = null) => new EngineEvents
        {
            Log = EngineLog,
            Waiting = w => Post(() => { WriteVerboseMessage(w.ToString()); onWait?.Invoke(w); }),
        };

        /// <summary>The connection of <see cref="Profile"/> shared by every cmdlet in this runspace, opened silently
        /// (never a browser or prompt) on first use; a terminating error when the profile is not signed in.</summary>
        protected FitbitConnection GetConnection()
        {
            var existing = ConnectionRegistry.Get(Profile);
            if (existing != null) return existing;
            var options = new SessionOptions { Profile = Profile, Log = EngineLog, NonInteractive = true };
            var session = RunEngine(ct => FitbitAuthenticator.OpenAsync(options, ct), Profile);
            return ConnectionRegistry.Set(Profile, new FitbitConnection(session));
        }

        /// <summary>Runs engine work through the pump. Engine exceptions become terminating ErrorRecords; Ctrl+C (or a
        /// downstream command that has seen enough) stops the pipeline without an error record.</summary>
        protected T RunEngine<T>(Func<CancellationToken, Task<T>> work, object target = null)
        {
            try { return CallEngine(work); }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is RuntimeException))
            {
                ThrowTerminatingError(ToErrorRecord(ex, target));
                throw; // not reached
            }
        }

        /// <summary>Like <see cref="RunEngine{T}"/>, but engine failures come back as exceptions, for a cmdlet that
        /// writes them as non-terminating errors of one item (one piped profile).</summary>
        protected T CallEngine<T>(Func<CancellationToken, Task<T>> work)
        {
            try { return _pump.Run(work, CancellationToken); }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested) { throw new PipelineStoppedException(); }
        }

        /// <summary>Runs <paramref name="action"/> on the pipeline thread (see <see cref="EnginePump.Post"/>).</summary>
        protected void Post(Action action) => _pump.Post(action);

        /// <summary>Runs a function on the pipeline thread and waits for its result (host prompts).</summary>
        protected Task<TResult> PostAndWait<TResult>(Func<TResult> func) => _pump.PostAndWait(func);

        protected ErrorRecord ToErrorRecord(Exception exception, object target) => ErrorRecords.From(exception, target);

        public void Dispose()
        {
            _cts?.Dispose();
            _cts = null;
            GC.SuppressFinalize(this);
        }
    }
}
