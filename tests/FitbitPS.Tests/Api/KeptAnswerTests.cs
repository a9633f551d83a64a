using FitbitPS.Engine.Api;
using Xunit;

namespace FitbitPS.Tests.Api;

/// <summary>An answer a profile's connection keeps (settings, account start) is shared by its commands, but one
/// command's stop or failure is never another command's.</summary>
public sealed class KeptAnswerTests
{
    [Fact]
    public async Task A_command_waiting_on_another_commands_ask_that_is_stopped_asks_for_itself()
    {
        var kept = new KeptAnswer<int>();
        using var firstStops = new CancellationTokenSource();
        var never = new TaskCompletionSource<int>();
        var asks = 0;
        var first = kept.GetAsync(ct => { asks++; return never.Task.WaitAsync(ct); }, firstStops.Token);
        var second = kept.GetAsync(_ => { asks++; return Task.FromResult(42); }, CancellationToken.None);

        firstStops.Cancel(); // Ctrl+C on the first command

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(42, await second);
        Assert.Equal(2, asks);
        Assert.Equal(42, await kept.GetAsync(_ => Task.FromResult(7), CancellationToken.None)); // kept from now on
    }

    [Fact]
    public async Task A_failed_ask_is_not_kept()
    {
        var kept = new KeptAnswer<string>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => kept.GetAsync(_ => Task.FromException<string>(new InvalidOperationException("503")), default));
        Assert.Equal("Europe/Berlin", await kept.GetAsync(_ => Task.FromResult("Europe/Berlin"), default));
    }
}
