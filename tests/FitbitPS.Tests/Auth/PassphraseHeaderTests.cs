using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2.Responses;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// A damaged header of the Passphrase cache file is a damaged file, found before any key derivation (which
/// costs ~0.2 s at the writer's iteration count and up to many seconds at a damaged one), and never
/// reported as a wrong passphrase. <see cref="Pbkdf2.DerivationsOnThisThread"/> shows whether a derivation ran.
/// </summary>
public sealed class PassphraseHeaderTests
{
    private static ProfileRecord Record() => new()
    {
        Client = new StoredClient { ClientId = "header.apps", ClientSecret = "GOCSPX-header-SECRET" },
        Token = new TokenResponse { AccessToken = "ya29.header-SECRET", RefreshToken = "1//header-SECRET", ExpiresInSeconds = 3599, IssuedUtc = DateTime.UtcNow },
    };

    [Fact]
    public void Every_flipped_header_byte_is_a_damaged_file_found_without_deriving_a_key()
    {
        using var folder = new TempFolder();
        new ProfileStore(new PassphraseBlobStore(folder.Path, "right")).Update("p", _ => Record());
        var file = Path.Combine(folder.Path, "p" + PassphraseBlobStore.Suffix);
        var original = File.ReadAllBytes(file);

        var wrong = new List<string>();
        for (var i = 0; i < PassphraseBlobStore.HeaderLength; i++)
        {
            var damaged = (byte[])original.Clone();
            damaged[i] ^= 0x01;
            File.WriteAllBytes(file, damaged);
            var before = Pbkdf2.DerivationsOnThisThread;
            var ex = Assert.Throws<FitbitAuthException>(() => new ProfileStore(new PassphraseBlobStore(folder.Path, "right")).Read("p"));
            var derivations = Pbkdf2.DerivationsOnThisThread - before;
            if (ex.ErrorId != AuthErrorIds.CacheDamaged || derivations != 0 || !ex.Message.Contains("Disconnect-Fitbit") || !ex.Message.Contains("Connect-Fitbit")
                || ex.Message.Contains("passphrase does not open"))
                wrong.Add($"byte {i}: {ex.ErrorId}, {derivations} derivation(s): {ex.Message}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // The way out is named as commands, for the profile concerned.
        File.WriteAllBytes(file, original.Select((b, i) => i == 12 ? (byte)(b ^ 0x80) : b).ToArray());
        var damagedSalt = Assert.Throws<FitbitAuthException>(() => new ProfileStore(new PassphraseBlobStore(folder.Path, "right")).Read("p"));
        Assert.Equal(FitbitErrorKind.InvalidData, damagedSalt.Kind);
        Assert.Contains("Disconnect-Fitbit -Profile p", damagedSalt.RecommendedAction);
        Assert.Contains("Connect-Fitbit -Profile p", damagedSalt.RecommendedAction);

        // Undamaged, it opens.
        File.WriteAllBytes(file, original);
        Assert.Equal("1//header-SECRET", new ProfileStore(new PassphraseBlobStore(folder.Path, "right")).Read("p")!.Token.RefreshToken);
    }

    [Fact]
    public void A_wrong_passphrase_is_still_a_wrong_passphrase_and_takes_a_derivation()
    {
        using var folder = new TempFolder();
        new ProfileStore(new PassphraseBlobStore(folder.Path, "right")).Update("p", _ => Record());
        var before = Pbkdf2.DerivationsOnThisThread;
        var ex = Assert.Throws<FitbitAuthException>(() => new ProfileStore(new PassphraseBlobStore(folder.Path, "wrong " + Guid.NewGuid())).Read("p"));
        Assert.Equal(AuthErrorIds.PassphraseWrong, ex.ErrorId);
        Assert.Equal(1, Pbkdf2.DerivationsOnThisThread - before);
    }

    [Fact]
    public void A_file_of_the_first_format_still_opens_and_is_rewritten_in_the_current_one()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "v1" + PassphraseBlobStore.Suffix);
        File.WriteAllBytes(file, Convert.FromBase64String(VersionOneFile));
        var store = new ProfileStore(new PassphraseBlobStore(folder.Path, "version one"));

        var record = store.Read("v1");
        Assert.Equal("1//v1-refresh", record!.Token.RefreshToken);
        Assert.Equal("v1-health-user", record.HealthUserId);

        store.Update("v1", r => { r!.HealthUserId = "rewritten"; return r; });
        Assert.Equal(PassphraseBlobStore.CurrentVersion, File.ReadAllBytes(file)[4]);
        Assert.Equal("rewritten", new ProfileStore(new PassphraseBlobStore(folder.Path, "version one")).Read("v1")!.HealthUserId);

        // A wrong passphrase on a first-format file is still a wrong passphrase.
        File.WriteAllBytes(file, Convert.FromBase64String(VersionOneFile));
        Assert.Equal(AuthErrorIds.PassphraseWrong, Assert.Throws<FitbitAuthException>(() => new ProfileStore(new PassphraseBlobStore(folder.Path, "not version one")).Read("v1")).ErrorId);
    }

    /// <summary>A profile written by FitbitPS before the header checksum (format 1, 600 000 iterations,
    /// passphrase "version one").</summary>
    private const string VersionOneFile =
        "RkJQUwHAJwkAF4z3y02cUGQ9afwibxvK129Eq5OVXA3p6/RNHMbAnhUvYjT1f3wEjewZcGO1ACc1o671OrdBDI7ix25L3jcDhVpP56kRZNYhSJLlvU7c+9kZ" +
        "lxniycm1/AEK9xYU/ItYa4uPqlR96MhOELw+F6gu3cvLDIDGWqVH0AxM68v7XVrVX8+aSzNZYmsxHmVAL/vaKc/b8RGY/gAlwY7gtQQt4J8mODD0qIchC3EJ" +
        "yoE+zT7WQbfV+Z5G+vsiOKZ8FpQYFzzM7GQ7uZqRXafYaejt+aPOO9R31EN06LCIhGW26yR70/sJ3mtQt6xE8pCZ/neAnNW/argiVFkQW/X9Yw9c1+TwEtal" +
        "AyppS1qM/0aQBWPMONdF7svdek+OnmDMNsYPwnwT/TFe2OHPZH7wKkGTpvYGNyt5F061I2g8b29HqYkdJpDheJ0scAXtyRwsotTeEiRLMvn+5Z+SDrvxhUfw" +
        "wmUqLsnrAC0B7TjUYdqrOkUJLWPj5orEP2q8N5kSsKe2htG7sIpIcs6ZXm/zhk4trBU2bkmLyR6BgKQZRXrM40jpgfiERQwERqUoLc2hVXQ5bxBvvbZuYQ/T" +
        "Unq3ZlxbmV3+9Qk1/ukIbS4ZjcP3vVteTCQu7n9IUSoXZX9Pi3t+wDZsDQ/os4YoA4CHVqAFiFLNhOzOyj+GMSyYApq6dn9u1cHDmGUtwaSW2kqoEDtm/cQ4" +
        "NR7WSgVOj7W+IQmCG7Nw6J1HDio5PCW4hdNHUJKWVdwPrFVTDjFYtZINO8ZoBeURIm50CjudwrnBBL2s8VIZuS2vVldjl4KAoXhejE+lO7W6h3ZbTnwzjnU0" +
        "TIM4iA5U+rQdQSu3gkKkhq9MuzZRk3hf67lVmjKu0lKM1W+xKuep+j3/c0SXb/Z3P4EK";
}
