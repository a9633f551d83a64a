using System.Text.Json;

using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

internal static class HostTestHelpers
{
    /// <summary>The "error" object of Google's envelope; fails the test when the body is not one.</summary>
    public static async Task<JsonElement> ReadGoogleErrorAsync(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").Clone();
    }
}
