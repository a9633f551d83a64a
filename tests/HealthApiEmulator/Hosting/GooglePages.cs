using System.Net;
using Microsoft.AspNetCore.Http;

namespace HealthApiEmulator.Hosting;

/// <summary>The HTML pages Google's front ends answer with (wrong path, 5xx from the edge, sign-in errors).</summary>
public static class GooglePages
{
    private const string Style =
        "<style>*{margin:0;padding:0}html,code{font:15px/22px arial,sans-serif}html{background:#fff;color:#222;padding:15px}" +
        "body{margin:7% auto 0;max-width:390px;min-height:180px;padding:30px 0 15px}p{margin:11px 0 22px;overflow:hidden}ins{color:#777;text-decoration:none}</style>";

    /// <summary>The front end's "Error NNN (Title)!!1" page.</summary>
    public static string FrontEndError(int status, string title, string explanationHtml) =>
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n" +
        "  <meta name=viewport content=\"initial-scale=1, minimum-scale=1, width=device-width\">\n" +
        $"  <title>Error {status} ({title})!!1</title>\n  {Style}\n" +
        "  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n" +
        $"  <p><b>{status}.</b> <ins>That\u2019s an error.</ins>\n  <p>{explanationHtml}  <ins>That\u2019s all we know.</ins>\n";

    public static string NotFound(string path) =>
        FrontEndError(404, "Not Found", $"The requested URL <code>{WebUtility.HtmlEncode(path)}</code> was not found on this server.");

    public static string ServerError(int status = 502) =>
        FrontEndError(status, "Server Error", "The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.");

    /// <summary>accounts.google.com's sign-in error page ("Access blocked: authorization error … Error 400: redirect_uri_mismatch").</summary>
    public static string SignInError(int status, string error, string detail) =>
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>" +
        $"<title>Error {status}: {WebUtility.HtmlEncode(error)}</title></head>\n<body>\n" +
        "<h1>Access blocked: This app\u2019s request is invalid</h1>\n" +
        $"<p id=\"error-detail\">{WebUtility.HtmlEncode(detail)}</p>\n" +
        $"<p id=\"error-code\">Error {status}: {WebUtility.HtmlEncode(error)}</p>\n</body></html>\n";

    public static Task WriteAsync(HttpResponse response, int status, string html)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=UTF-8";
        return response.WriteAsync(html);
    }
}
