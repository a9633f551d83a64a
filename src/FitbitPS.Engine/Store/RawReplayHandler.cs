using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Export;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// The network of a re-parse: every request is answered from the store's raw answers, none leaves the machine. The
    /// same readers and parsers as a sync run over it, so a re-parse is exactly a sync of what Google answered then.
    /// </summary>
    internal sealed class RawReplayHandler : HttpMessageHandler
    {
        private readonly RawAnswers _answers;

        public RawReplayHandler(RawAnswers answers) { _answers = answers; }

        public long Served;

        /// <summary>The settings answer of the read being replayed (gzip; null: the store's latest).</summary>
        public byte[] Settings { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string body = request.Content == null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            var settings = Settings;
            var answer = settings != null && _answers.KeyOf(request, body, out _) == Exporter.RawSettingsKey
                ? RawAnswers.Unpack(settings)
                : _answers.Find(request, body);
            if (answer == null)
                throw new ExportException(ExportErrorKind.RawAnswerMissing,
                    $"The store holds no answer to {_answers.KeyOf(request, null, out _)} (kept answers are needed to re-parse without requests). " +
                    "Nothing was changed. Run Export-FitbitData -Full to read the range again instead.");
            Interlocked.Increment(ref Served);
            var content = new ByteArrayContent(answer);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }
}
