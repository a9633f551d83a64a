using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Binding;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Core;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Base of every FitbitPS cmdlet: -Profile, a cancellation token (Ctrl+C → <see cref="StopProcessing"/>),
    /// the shared per-runspace session, one pump that runs engine work off the pipeline thread while
    /// everything it says (records, verbose/debug, progress, prompts) is written on it, and engine
    /// exceptions turned into ErrorRecords with stable ids and categories.
    /// </summary>
    public abstract class FitbitCmdletBase : PSCmdlet, IDisposable
    {
        // Records wait here when the next command in the pipeline is slow: memory stays flat.
        private const int QueueCapacity = 512;
        private CancellationTokenSource _cts = new CancellationTokenSource();
        private BlockingCollection<Action> _queue; // of the engine call running now, else null
        private int _pipelineThreadId;

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
            _pipelineThreadId = Environment.CurrentManagedThreadId;
            _debugWithoutVerbose = IsSet("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose");
        }

        private bool _debugWithoutVerbose;

        private bool IsSet(string switchName)
            => MyInvocation.BoundParameters.TryGetValue(switchName, out var value) && value is SwitchParameter s && s.IsPresent;

        /// <summary>
        /// A verbose message. Why not WriteVerbose alone: PowerShell turns -Debug (without -Verbose) into
        /// "Inquire" for verbose messages, so a person who asks for -Debug would be asked to confirm every
        /// line; with -Debug these lines go to the debug stream instead, beside the request lines.
        /// </summary>
        protected void WriteVerboseMessage(string message)
        {
            if (_debugWithoutVerbose) WriteDebug(message);
            else WriteVerbose(message);
        }

        protected override void StopProcessing() => _cts?.Cancel();

        /// <summary>
        /// True when FitbitPS must never open a browser or prompt: pwsh -NonInteractive, a scheduled task or
        /// cron (no user-interactive session), or FITBITPS_NONINTERACTIVE=1.
        /// </summary>
        protected bool IsNonInteractive
        {
            get
            {
                if (Environment.GetEnvironmentVariable("FITBITPS_NONINTERACTIVE") == "1") return true;
                foreach (var arg in Environment.GetCommandLineArgs())
                    if (arg.Length >= 5 && arg.StartsWith("-noni", StringComparison.OrdinalIgnoreCase)
                        && "-noninteractive".StartsWith(arg, StringComparison.OrdinalIgnoreCase)) return true;
                return !Environment.UserInteractive;
            }
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

        /// <summary>
        /// The signed-in session of <see cref="Profile"/> shared by every cmdlet in this runspace; opened
        /// silently (never a browser or prompt) on first use. Throws a terminating error when the profile
        /// is not signed in.
        /// </summary>
        protected FitbitSession GetSession()
        {
            var existing = SessionRegistry.Get(Profile);
            if (existing != null)
            {
                existing.Log = EngineLog; // the session's messages go to this command's streams now
                return existing;
            }
            var options = new SessionOptions { Profile = Profile, Log = EngineLog, NonInteractive = true };
            var session = RunEngine(ct => FitbitAuthenticator.OpenAsync(options, ct), Profile);
            return SessionRegistry.Set(Profile, session);
        }

        /// <summary>
        /// Runs engine work on the thread pool and, until it ends, writes on this (pipeline) thread whatever
        /// it <see cref="Post"/>s. Engine exceptions become terminating ErrorRecords; Ctrl+C (or a downstream
        /// command that has seen enough) stops the pipeline without an error record.
        /// </summary>
        protected T RunEngine<T>(Func<CancellationToken, Task<T>> work, object target = null)
        {
            try { return Pump(work); }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is RuntimeException))
            {
                ThrowTerminatingError(ToErrorRecord(ex, target));
                throw; // not reached
            }
        }

        /// <summary>Like <see cref="RunEngine{T}"/>, but engine failures come back as exceptions, for a cmdlet
        /// that writes them as non-terminating errors of one item (one piped profile).</summary>
        protected T CallEngine<T>(Func<CancellationToken, Task<T>> work)
        {
            try { return Pump(work); }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>The one pump: every engine call goes through it, so no message is ever dropped.</summary>
        private T Pump<T>(Func<CancellationToken, Task<T>> work)
        {
            var queue = new BlockingCollection<Action>(QueueCapacity);
            var outer = _queue;
            _queue = queue;
            _pipelineThreadId = Environment.CurrentManagedThreadId;
            // Cancelled by Ctrl+C, and when this call leaves early (a terminating error written from the
            // queue, -ErrorAction Stop, Select-Object -First): the work must not outlive the command.
            var stop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            Task<T> task = null;
            try
            {
                task = Task.Run(() => work(stop.Token));
                task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
                foreach (var action in queue.GetConsumingEnumerable()) action();
                return task.GetAwaiter().GetResult();
            }
            finally
            {
                stop.Cancel();
                queue.CompleteAdding(); // a producer blocked on a full queue gives up
                if (task != null)
                {
                    try { task.Wait(TimeSpan.FromSeconds(5)); }
                    catch (AggregateException) { /* cancelled, or already reported */ }
                }
                stop.Dispose();
                _queue = outer;
            }
        }

        /// <summary>
        /// Runs <paramref name="action"/> on the pipeline thread (WriteObject/WriteVerbose/Host UI from engine
        /// threads). Blocks while the queue is full. Outside an engine call there is nobody to write to.
        /// </summary>
        protected void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThreadId) { action(); return; }
            var queue = _queue;
            if (queue == null) return;
            try { queue.Add(action); }
            catch (InvalidOperationException) { } // the call has ended; its command is done writing
        }

        /// <summary>Runs a function on the pipeline thread and waits for its result (host prompts).</summary>
        protected Task<TResult> PostAndWait<TResult>(Func<TResult> func)
        {
            var tcs = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(() =>
            {
                try { tcs.TrySetResult(func()); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            });
            return tcs.Task;
        }

        /// <summary>A non-terminating error for one item (a day, a data type) that obeys -ErrorAction.</summary>
        protected void WriteEngineError(Exception exception, object target) => WriteError(ToErrorRecord(exception, target));

        /// <summary>An engine exception as an ErrorRecord: stable ErrorId, a category, the recommended action,
        /// and the engine's own target (a day range, a profile) when it names one.</summary>
        protected ErrorRecord ToErrorRecord(Exception exception, object target)
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

        public void Dispose()
        {
            _cts?.Dispose();
            _cts = null;
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>One session per profile per runspace (keyed by the runspace's InstanceId).</summary>
    public static class SessionRegistry
    {
        private static readonly ConcurrentDictionary<string, FitbitSession> Sessions = new ConcurrentDictionary<string, FitbitSession>(StringComparer.OrdinalIgnoreCase);

        private static string Key(string profile) => (Runspace.DefaultRunspace?.InstanceId.ToString() ?? "none") + "|" + profile;

        public static FitbitSession Get(string profile) => Sessions.TryGetValue(Key(profile), out var s) ? s : null;

        public static FitbitSession Set(string profile, FitbitSession session)
        {
            Sessions.AddOrUpdate(Key(profile), session, (_, old) => { if (!ReferenceEquals(old, session)) old.Dispose(); return session; });
            return session;
        }

        public static void Remove(string profile)
        {
            if (Sessions.TryRemove(Key(profile), out var s)) s.Dispose();
        }
    }
}
