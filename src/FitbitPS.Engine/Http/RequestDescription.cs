using System;
using System.Net.Http;

namespace FitbitPS.Engine.Http
{
    /// <summary>A request as a person debugging reads it, in debug lines and in errors that are ours: method, path and
    /// query, and a roll-up's JSON body. Never a token: the bearer header is not part of it and page tokens are shortened.</summary>
    internal static class RequestDescription
    {
        internal static string Of(HttpRequestMessage request) => $"{request.Method} {Describe(request.RequestUri)}{BodyOf(request)}";

        /// <summary>The request's path and query as a person debugging wants to read them: unescaped, with
        /// page tokens cut to their first characters (they are long and mean nothing to a reader).</summary>
        internal static string Describe(Uri uri)
        {
            var text = Uri.UnescapeDataString(uri.PathAndQuery);
            var at = text.IndexOf("pageToken=", StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = at + "pageToken=".Length;
                var end = text.IndexOf('&', start);
                var token = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
                if (token.Length > 12) text = text.Substring(0, start) + token.Substring(0, 8) + "…" + (end < 0 ? "" : text.Substring(end));
            }
            return text;
        }

        // A roll-up's JSON body says what was asked (range, window, pageSize); it holds nothing secret.
        private static string BodyOf(HttpRequestMessage request)
            => request.Content is StringContent content ? " " + content.ReadAsStringAsync().GetAwaiter().GetResult() : "";
    }
}
