using FitbitPS.Engine.Auth;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// The OAuth client file a person downloads from Google Cloud console, and everything else they may pass
/// as -ClientSecretFile by mistake: each bad file is one clear error naming the file, the field and what it
/// should be, and it costs no more memory than a real client file.
/// </summary>
public sealed class ClientSecretsFileTests : IDisposable
{
    private const string Secret = "GOCSPX-do-not-show-me";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string json)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllText(path, json);
        return path;
    }

    public static TheoryData<string, string, string> WrongShapes => new()
    {
        // json, the field named, what it should be
        { "{\"installed\":{\"client_id\":{\"value\":\"x\"},\"client_secret\":\"" + Secret + "\"}}", "installed.client_id", "a string" },
        { "{\"installed\":{\"client_id\":\"x.apps.googleusercontent.com\",\"client_secret\":[\"" + Secret + "\"]}}", "installed.client_secret", "a string" },
        { "{\"installed\":{\"client_id\":42,\"client_secret\":\"" + Secret + "\"}}", "installed.client_id", "a string" },
        { "{\"installed\":\"" + Secret + "\"}", "installed", "an object" },
        { "{\"web\":[]}", "web", "an object" },
        { "{\"type\":{\"kind\":\"service_account\"},\"installed\":{\"client_id\":\"x\",\"client_secret\":\"" + Secret + "\"}}", "type", "a string" },
        { "{\"installed\":{\"client_id\":\"x\",\"client_secret\":\"" + Secret + "\",\"token_uri\":{\"href\":\"https://oauth2.googleapis.com/token\"}}}", "installed.token_uri", "a string" },
        { "{\"installed\":{\"client_id\":\"x\",\"client_secret\":\"" + Secret + "\",\"auth_uri\":7}}", "installed.auth_uri", "a string" },
        { "{\"web\":{\"client_id\":\"x\",\"client_secret\":\"" + Secret + "\",\"redirect_uris\":\"http://localhost:8400/\"}}", "web.redirect_uris", "an array of strings" },
        { "{\"web\":{\"client_id\":\"x\",\"client_secret\":\"" + Secret + "\",\"redirect_uris\":[{\"uri\":\"http://localhost:8400/\"}]}}", "web.redirect_uris[0]", "a string" },
        { "[\"installed\"]", "the top level", "an object" },
        { "\"" + Secret + "\"", "the top level", "an object" },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void A_field_of_the_wrong_type_names_the_file_the_field_and_what_it_should_be(string json, string field, string shouldBe)
    {
        var path = Write("client_secret_shape.json", json);

        var ex = Assert.Throws<FitbitAuthException>(() => ClientConfiguration.FromFile(path));

        Assert.Equal(AuthErrorIds.ClientSecretsInvalid, ex.ErrorId);
        Assert.Equal(FitbitErrorKind.InvalidData, ex.Kind);
        Assert.Contains(path, ex.Message);
        Assert.Contains($"\"{field}\"", ex.Message);
        Assert.Contains($"should be {shouldBe}", ex.Message);
        Assert.DoesNotContain("Can not convert", ex.Message);
        Assert.DoesNotContain(Secret, ex.Message);
        Assert.Equal(path, ex.Target);
        Assert.Contains("Google Auth Platform", ex.RecommendedAction);
        Assert.Contains("Clients", ex.RecommendedAction);
    }

    [Fact]
    public void A_file_far_larger_than_any_client_file_is_refused_before_it_is_read()
    {
        var path = Path.Combine(_folder.Path, "client_secret_huge.json");
        using (var f = File.Create(path)) f.SetLength(150L * 1024 * 1024); // sparse: no disk used

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<FitbitAuthException>(() => ClientConfiguration.FromFile(path));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(AuthErrorIds.ClientSecretsInvalid, ex.ErrorId);
        Assert.Contains(path, ex.Message);
        Assert.Contains("150 MB", ex.Message);
        Assert.Contains("2 KB", ex.Message);
        Assert.True(allocated < 1024 * 1024, $"reading the refused file allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_file_that_keeps_growing_past_the_limit_is_refused_without_reading_it_all()
    {
        if (OperatingSystem.IsWindows()) return; // /dev/zero
        // A device reports length 0 and never ends: the limit must hold while reading, not only from the size.
        var ex = Assert.Throws<FitbitAuthException>(() => ClientConfiguration.FromFile("/dev/zero"));
        Assert.Equal(AuthErrorIds.ClientSecretsInvalid, ex.ErrorId);
        Assert.Contains("/dev/zero", ex.Message);
    }

    [Fact]
    public void A_real_client_file_of_either_kind_still_reads()
    {
        var installed = ClientConfiguration.FromFile(Write("installed.json",
            "{\"installed\":{\"client_id\":\"1-abc.apps.googleusercontent.com\",\"project_id\":\"p\",\"auth_uri\":\"https://accounts.google.com/o/oauth2/auth\"," +
            "\"token_uri\":\"https://oauth2.googleapis.com/token\",\"auth_provider_x509_cert_url\":\"https://www.googleapis.com/oauth2/v1/certs\"," +
            "\"client_secret\":\"" + Secret + "\",\"redirect_uris\":[\"http://localhost\"]}}"));
        Assert.Equal("1-abc.apps.googleusercontent.com", installed.ClientId);
        Assert.Equal(Secret, installed.ClientSecret);
        Assert.Equal("installed", installed.ClientType);

        var web = ClientConfiguration.FromFile(Write("web.json",
            "{\"web\":{\"client_id\":\"2-web.apps.googleusercontent.com\",\"client_secret\":\"" + Secret + "\"," +
            "\"redirect_uris\":[\"https://app.example/cb\",\"http://localhost:8400/\"],\"javascript_origins\":[\"https://app.example\"]}}"));
        Assert.Equal("web", web.ClientType);
        Assert.Equal(8400, web.Port);

        // Saved again by an editor that writes a byte-order mark.
        var bom = Path.Combine(_folder.Path, "bom.json");
        File.WriteAllText(bom, "{\"installed\":{\"client_id\":\"3-bom.apps.googleusercontent.com\",\"client_secret\":\"" + Secret + "\"}}", new System.Text.UTF8Encoding(true));
        Assert.Equal("3-bom.apps.googleusercontent.com", ClientConfiguration.FromFile(bom).ClientId);
    }
}
