using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Hosting
{
    /// <summary>
    /// The one pump of a cmdlet: engine work runs on the thread pool while everything it wants written (records,
    /// verbose/debug, progress, prompts) runs on the pipeline thread, in order. The queue is bounded, so records wait
    /// when the next command in the pipeline is slow and memory stays flat.
    /// </summary>
    internal sealed class EnginePump
    {
        private const int QueueCapacity = 512;
        private BlockingCollection<Action> _queue; // of the engine call running now, else null
        private int _pipelineThreadId = Environment.CurrentManagedThreadId;

        /// <summary>Runs <paramref name="work"/> and pumps its posts until it ends. Cancelled by
        /// <paramref name="stopping"/> (Ctrl+C) and when this call leaves early (a terminating error written from the
        /// queue, -ErrorAction Stop, Select-Object -First): the work never outlives the command.</summary>
        public T Run<T>(Func<CancellationToken, Task<T>> work, CancellationToken stopping)
        {
            var queue = new BlockingCollection<Action>(QueueCapacity);
            var outer = _queue;
            _queue = queue;
            _pipelineThreadId = Environment.CurrentManagedThreadId;
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
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

        /// <summary>Runs <paramref name="action"/> on the pipeline thread; blocks while the queue is full. Outside an
        /// engine call there is nobody to write to.</summary>
        public void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThreadId) { action(); return; }
            var queue = _queue;
            if (queue == null) return;
            try { queue.Add(action); }
            catch (InvalidOperationException) { } // the call has ended; its command is done writing
        }

        /// <summary>Runs a function on the pipeline thread and waits for its result (host prompts).</summary>
        public Task<TResult> PostAndWait<TResult>(Func<TResult> func)
        {
            var tcs = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(() =>
            {
                try { tcs.TrySetResult(func()); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            });
            return tcs.Task;
        }
    }
}
