using System.Diagnostics;
using System.Text;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2.Responses;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// The Protected cache for real: on Linux the Secret Service keyring (gnome-keyring over D-Bus), which
/// test.sh starts unlocked. These fail when the keyring is unusable, unless FITBITPS_NO_KEYRING=1.
/// </summary>
public sealed class ProtectedStoreTests
{
    private static ProfileRecord Record(string refresh) => new()
    {
        Client = new StoredClient { ClientId = "client.apps", ClientSecret = "GOCSPX-protected-" + Guid.NewGuid().ToString("N") },
        Token = new TokenResponse { AccessToken = "ya29." + Guid.NewGuid().ToString("N"), RefreshToken = refresh, ExpiresInSeconds = 3599, IssuedUtc = DateTime.UtcNow },
    };

    [KeyringFact]
    public void Refresh_token_is_nowhere_in_plaintext_under_the_cache_folder_or_home()
    {
        var started = DateTime.UtcNow.AddSeconds(-2);
        using var folder = new TempFolder();
        var refresh = "1//protected-" + Guid.NewGuid().ToString("N");
        var store = new ProfileStore(new ProtectedBlobStore(folder.Path));
        var record = Record(refresh);
        store.Update("alice", _ => record);

        Assert.Equal(refresh, store.Read("alice")!.Token.RefreshToken);
        Assert.True(store.Encrypted);
        Assert.DoesNotContain(refresh, AuthTestExtensions.AllFileText(folder.Path));
        Assert.DoesNotContain(record.Client.ClientSecret, AuthTestExtensions.AllFileText(folder.Path));

        // The secret is new, so only files written since the test started can hold it.
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (var file in RecentFiles(home, started))
        {
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(file));
            Assert.False(text.Contains(refresh, StringComparison.Ordinal), $"refresh token in plaintext in {file}");
        }
        Assert.Contains("alice", TokenStores.ListAll(folder.Path).Where(p => p.Value == TokenCacheKind.Protected).Select(p => p.Key));

        store.Delete("alice");
        Assert.Null(store.Read("alice"));
    }

    [KeyringFact]
    public void Separate_cache_folders_do_not_share_keyring_entries()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        new ProfileStore(new ProtectedBlobStore(a.Path)).Update("p", _ => Record("1//a"));
        Assert.Null(new ProfileStore(new ProtectedBlobStore(b.Path)).Read("p"));
        new ProfileStore(new ProtectedBlobStore(a.Path)).Delete("p");
    }

    [KeyringFact]
    public void A_keyring_that_reads_back_empty_is_reported_as_locked_not_as_signed_out()
    {
        using var folder = new TempFolder();
        var store = new ProfileStore(new ProtectedBlobStore(folder.Path));
        store.Update("p", _ => Record("1//x"));
        // What a locked collection looks like to MSAL: the entry reads back empty. Remove the entry
        // behind FitbitPS's back (as locking does to reads) and keep the marker.
        var marker = Path.Combine(folder.Path, "p" + ProtectedBlobStore.MarkerSuffix);
        var keep = File.ReadAllBytes(marker);
        new ProtectedBlobStore(folder.Path).Delete("p");
        File.WriteAllBytes(marker, keep);

        var ex = Assert.Throws<FitbitAuthException>(() => store.Read("p"));
        Assert.Equal(AuthErrorIds.KeyringLocked, ex.ErrorId);
        Assert.Contains("locked", ex.Message);
        Assert.Contains("Linux without a desktop keyring", ex.Message);
    }

    [KeyringFact]
    public async Task Locking_the_real_keyring_collection_is_reported_as_locked()
    {
        if (!OperatingSystem.IsLinux()) return;
        // Its own D-Bus session and keyring (a locked collection cannot be unlocked again without a prompt).
        using var home = new TempFolder();
        var script = Path.Combine(RepoRoot(), "tests", "with-unlocked-keyring.sh");
        var psi = new ProcessStartInfo("dbus-run-session") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--", "bash", script, "dotnet", TestHostProcess.Dll, "auth", "lock-then-read", "--home", Path.Combine(home.Path, "cache") })
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = home.Path;
        psi.Environment.Remove("XDG_RUNTIME_DIR");
        psi.Environment.Remove("XDG_DATA_HOME");
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 2, $"exit {p.ExitCode}: {stdout} {stderr}");
        Assert.Contains(AuthErrorIds.KeyringLocked, stdout);
        Assert.DoesNotContain("not signed in", stdout);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FitbitPS.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("FitbitPS.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Without_a_dbus_session_the_error_names_the_other_caches_and_the_docs()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var folder = new TempFolder();
        var (exit, json, stdout, stderr) = await TestHostProcess.RunAsync(
            new Dictionary<string, string?> { ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus", ["XDG_RUNTIME_DIR"] = folder.Path },
            "auth", "probe", "--home", folder.Path);
        Assert.True(exit == 2, stdout + stderr);
        Assert.Equal(AuthErrorIds.KeyringUnavailable, json.GetProperty("errorId").GetString());
        var message = json.GetProperty("message").GetString()!;
        var action = json.GetProperty("recommendedAction").GetString()!;
        Assert.Contains("OS-protected cache", message);
        Assert.DoesNotContain("..", message);
        Assert.DoesNotContain("Msal", message);           // the library's text stays in the inner exception
        Assert.Contains("-TokenCache Passphrase", action);
        Assert.Contains("-TokenCache Process", action);
        Assert.Contains("Linux without a desktop keyring", action);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*" + PlaintextBlobStore.Suffix)); // no silent plaintext fallback
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    private static IEnumerable<string> RecentFiles(string root, DateTime sinceUtc)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir).ToList(); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { continue; }
            foreach (var e in entries)
            {
                FileSystemInfo info = Directory.Exists(e) ? new DirectoryInfo(e) : new FileInfo(e);
                if (info.LinkTarget != null) continue;
                if (info is DirectoryInfo)
                {
                    if (info.LastWriteTimeUtc >= sinceUtc || !IsBig(info.Name)) pending.Push(e);
                }
                else if (info.LastWriteTimeUtc >= sinceUtc && ((FileInfo)info).Length < 50_000_000) yield return e;
            }
        }
    }

    // Package caches and build output hold nothing FitbitPS writes; skip them unless they changed.
    private static bool IsBig(string name) => name is ".nuget" or ".dotnet" or "node_modules" or ".cache" or "obj" or "bin" or ".git";
}
