using System.Text;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2.Responses;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>The Passphrase cache: ciphertext only, wrong passphrase and tampering are told apart, writes are atomic.</summary>
public sealed class PassphraseStoreTests
{
    private const string Secret = "1//0refresh-SECRET-value-abc";

    private static ProfileRecord Record() => new()
    {
        Client = new StoredClient { ClientId = "client-id.apps", ClientSecret = "GOCSPX-client-SECRET" },
        Token = new TokenResponse { AccessToken = "ya29.access-SECRET", RefreshToken = Secret, ExpiresInSeconds = 3599, IssuedUtc = DateTime.UtcNow },
    };

    [Fact]
    public void Round_trips_and_leaves_only_ciphertext_on_disk()
    {
        using var folder = new TempFolder();
        var store = new ProfileStore(new PassphraseBlobStore(folder.Path, "pass-1"));
        store.Update("alice", _ => Record());

        var back = store.Read("alice");
        Assert.Equal(Secret, back!.Token.RefreshToken);
        Assert.Equal("GOCSPX-client-SECRET", back.Client.ClientSecret);

        var disk = AuthTestExtensions.AllFileText(folder.Path);
        Assert.DoesNotContain(Secret, disk);
        Assert.DoesNotContain("ya29.access-SECRET", disk);
        Assert.DoesNotContain("GOCSPX-client-SECRET", disk);
        Assert.DoesNotContain("client-id.apps", disk);
        var file = Path.Combine(folder.Path, "alice" + PassphraseBlobStore.Suffix);
        Assert.Equal("FBPS", Encoding.ASCII.GetString(File.ReadAllBytes(file), 0, 4));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void Wrong_passphrase_is_a_clear_error_not_not_signed_in()
    {
        using var folder = new TempFolder();
        new ProfileStore(new PassphraseBlobStore(folder.Path, "right")).Update("p", _ => Record());
        var ex = Assert.Throws<FitbitAuthException>(() => new ProfileStore(new PassphraseBlobStore(folder.Path, "wrong")).Read("p"));
        Assert.Equal(AuthErrorIds.PassphraseWrong, ex.ErrorId);
        Assert.Contains("passphrase does not open", ex.Message);
        Assert.Contains(PassphraseBlobStore.PassphraseVariable, ex.Message);
    }

    [Fact]
    public void Tampered_file_is_a_clear_error_distinct_from_wrong_passphrase()
    {
        using var folder = new TempFolder();
        var store = new ProfileStore(new PassphraseBlobStore(folder.Path, "right"));
        store.Update("p", _ => Record());
        var file = Path.Combine(folder.Path, "p" + PassphraseBlobStore.Suffix);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2 + 40] ^= 0x01; // one bit in the ciphertext
        File.WriteAllBytes(file, bytes);

        var ex = Assert.Throws<FitbitAuthException>(() => store.Read("p"));
        Assert.Equal(AuthErrorIds.CacheTampered, ex.ErrorId);
        Assert.Contains("cannot be trusted", ex.Message);

        File.WriteAllBytes(file, bytes.Take(30).ToArray()); // truncated: damaged, found before any key derivation
        Assert.Equal(AuthErrorIds.CacheDamaged, Assert.Throws<FitbitAuthException>(() => store.Read("p")).ErrorId);
    }

    [Fact]
    public void Missing_passphrase_names_the_variable_and_parameter()
    {
        using var folder = new TempFolder();
        Environment.SetEnvironmentVariable(PassphraseBlobStore.PassphraseVariable, null);
        var ex = Assert.Throws<FitbitAuthException>(() => new ProfileStore(new PassphraseBlobStore(folder.Path, null)).Update("p", _ => Record()));
        Assert.Equal(AuthErrorIds.PassphraseMissing, ex.ErrorId);
        Assert.Contains("-Passphrase", ex.Message);
    }

    [Fact]
    public void Reflection_bound_pbkdf2_matches_rfc8018_and_a_known_vector()
    {
        // RFC 7914 §11 PBKDF2-HMAC-SHA256 vector: P="passwd", S="salt", c=1, dkLen=64.
        var expected = Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
        var p = Encoding.ASCII.GetBytes("passwd"); var s = Encoding.ASCII.GetBytes("salt");
        Assert.Equal(expected, Pbkdf2.Sha256(p, s, 1, 64));
        Assert.Equal(expected, Pbkdf2.Rfc8018(p, s, 1, 64));
        Assert.Equal(Pbkdf2.Rfc8018(p, s, 1000, 64), Pbkdf2.Sha256(p, s, 1000, 64));
    }

    [Fact]
    public void Plaintext_store_is_mode_0600_with_a_distinct_name_and_warns()
    {
        using var folder = new TempFolder();
        var store = new ProfileStore(new PlaintextBlobStore(folder.Path));
        store.Update("p", _ => Record());
        var file = Path.Combine(folder.Path, "p" + PlaintextBlobStore.Suffix);
        Assert.True(File.Exists(file));
        Assert.Contains("plaintext", Path.GetFileName(file));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.False(store.Encrypted);
    }

    [Fact]
    public void Process_store_writes_nothing_to_disk()
    {
        using var folder = new TempFolder();
        var store = new ProfileStore(TokenStores.Create(TokenCacheKind.Process, folder.Path));
        var name = "proc-" + Guid.NewGuid().ToString("N")[..8];
        store.Update(name, _ => Record());
        Assert.Equal(Secret, store.Read(name)!.Token.RefreshToken);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
        store.Delete(name);
        Assert.Null(store.Read(name));
    }

    [Fact]
    public void Profile_names_that_are_not_file_safe_are_refused()
    {
        using var folder = new TempFolder();
        var store = new ProfileStore(new PlaintextBlobStore(folder.Path));
        var ex = Assert.Throws<FitbitAuthException>(() => store.Read("../etc/passwd"));
        Assert.Equal(AuthErrorIds.InvalidProfileName, ex.ErrorId);
    }
}
