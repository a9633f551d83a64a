using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// The first failure after which no request of the client can succeed (access withdrawn, the sign-in gone, Google
    /// unreachable: <see cref="FitbitEngineException.EndsCommand"/>). The client records it wherever it was raised
    /// (a refusal is mapped to its exception after the answer has left the handlers); <see cref="FailFastHandler"/>
    /// fails the requests still queued with it instead of letting each collect its own.
    /// </summary>
    internal sealed class CommandFailure
    {
        private readonly ConnectionHealth _connection;
        private Exception _ended;

        public CommandFailure(ConnectionHealth connection)
        {
            _connection = connection;
        }

        /// <summary>Keeps <paramref name="failure"/> if it is the first that ends the command.</summary>
        public void Record(FitbitEngineException failure)
        {
            if (failure.EndsCommand) Interlocked.CompareExchange(ref _ended, failure, null);
        }

        public void ThrowIfEnded()
        {
            _connection.ThrowIfUnreachable();
            var ended = Volatile.Read(ref _ended);
            if (ended != null) ExceptionDispatchInfo.Capture(ended).Throw();
        }
    }
}
