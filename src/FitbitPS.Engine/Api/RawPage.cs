namespace FitbitPS.Engine.Api
{
    /// <summary>One raw list/reconcile page: the body (kept as bytes so it can be spooled and parsed
    /// later, newest page last) and the token of the next page.</summary>
    internal sealed class RawPage
    {
        public RawPage(byte[] body, string nextPageToken) { Body = body; NextPageToken = nextPageToken; }
        public byte[] Body { get; }
        public string NextPageToken { get; }
    }
}
