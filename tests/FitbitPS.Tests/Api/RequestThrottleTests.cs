using FitbitPS.Engine.Api;
using FitbitPS.Engine.Http;
using Xunit;

namespace FitbitPS.Tests.Api;

public class RequestThrottleTests
{
    [Fact]
    public async Task A_waiting_page_of_a_chain_gets_the_next_slot_before_chunks_that_queued_earlier()
    {
        var throttle = new RequestThrottle(maxInFlight: 1, requestsPerMinute: 0);
        var holder = await throttle.EnterAsync(null, CancellationToken.None);
        var order = new List<string>();
        async Task Enter(string name, bool chain)
        {
            using (await throttle.EnterAsync(null, CancellationToken.None, chain)) lock (order) order.Add(name);
        }
        var chunks = new[] { Enter("chunk 1", false), Enter("chunk 2", false) };
        var page = Enter("page", true);
        Assert.False(page.IsCompleted); // all wait for the one slot
        holder.Dispose();
        await Task.WhenAll(chunks.Append(page)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { "page", "chunk 1", "chunk 2" }, order);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_place_and_the_slot_still_reaches_the_others()
    {
        var throttle = new RequestThrottle(maxInFlight: 1, requestsPerMinute: 0);
        var holder = await throttle.EnterAsync(null, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = throttle.EnterAsync(null, cancel.Token, chain: true);
        var waiting = throttle.EnterAsync(null, CancellationToken.None);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        holder.Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        // The slot came back: a new request gets it at once.
        Assert.True(throttle.EnterAsync(null, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_chain_keeps_its_slot_for_its_next_page_and_a_queued_chunk_gets_it_when_none_comes()
    {
        var throttle = new RequestThrottle(maxInFlight: 1, requestsPerMinute: 0);
        var page1 = await throttle.EnterAsync(null, CancellationToken.None, chain: true);
        var chunk = throttle.EnterAsync(null, CancellationToken.None);
        page1.Dispose();
        // The chain's next page, sent right after the previous one was answered, goes before the queued chunk.
        var page2 = throttle.EnterAsync(null, CancellationToken.None, chain: true);
        Assert.True(page2.IsCompletedSuccessfully);
        Assert.False(chunk.IsCompleted);
        (await page2).Dispose(); // the chain's last page: no next page comes
        (await chunk.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
