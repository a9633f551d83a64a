using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Auth;

/// <summary>What every sign-in test starts from: an emulator frozen at 2026-11-20 12:00 UTC, a private cache
/// folder, a log of the engine's messages and a browser that plays the person.</summary>
public abstract class SignInTestBase : IAsyncLifetime
{
    protected HealthApiEmulator.Hosting.Emulator _emu = null!;
    protected readonly TempFolder _folder = new();
    protected readonly CapturedLog _log = new();
    protected readonly TestBrowser _browser = new();

    /// <summary>The emulator's settings; a test class changes what it needs (quota, clients…).</summary>
    protected virtual EmulatorOptions EmulatorSettings() => new() { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) };

    public virtual async Task InitializeAsync() => _emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(EmulatorSettings());

    public virtual async Task DisposeAsync()
    {
        _browser.Dispose();
        await _emu.DisposeAsync();
        _folder.Dispose();
    }
}
