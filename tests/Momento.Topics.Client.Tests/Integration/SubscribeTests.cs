using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

public sealed class SubscribeTests : IAsyncLifetime
{
    private TestTopicsServer _server = null!;
    private TopicClient _publisher = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _publisher = TestServer.CreateClient(_server);
    }

    public async Task DisposeAsync()
    {
        _publisher.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SubscribeAsync_TextAndBinary_ArriveInOrderWithContiguousSequenceNumbers()
    {
        using var subscriber = TestServer.CreateClient(_server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        await using var events = subscriber.SubscribeAsync(TestServer.Cache, "order", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await events.ExpectHeartbeatAsync();

        await PublishAsync("order", "first");
        Assert.IsType<TopicPublishResponse.Success>(await _publisher.PublishAsync(TestServer.Cache, "order", new byte[] { 1, 2, 3 }).DefaultTimeout());
        await PublishAsync("order", "third");

        var text1 = Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());
        var binary = Assert.IsType<TopicEvent.BinaryItem>(await events.NextNonHeartbeatAsync());
        var text3 = Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());
        Assert.Equal(("first", "third"), (text1.Value, text3.Value));
        Assert.Equal(new byte[] { 1, 2, 3 }, binary.Value);
        Assert.Equal([1UL, 2UL, 3UL], [text1.SequenceNumber, binary.SequenceNumber, text3.SequenceNumber]);
        Assert.NotEqual(0UL, text1.SequencePage);
        Assert.All([binary.SequencePage, text3.SequencePage], page => Assert.Equal(text1.SequencePage, page));
    }

    [Fact]
    public async Task SubscribeAsync_Idle_HeartbeatsKeepArriving()
    {
        using var subscriber = TestServer.CreateClient(_server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);

        var events = await Events.CollectAsync(subscriber.SubscribeAsync(TestServer.Cache, "quiet", cancellationToken: cts.Token), cts.Token, stopAfter: 4);

        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.IsType<TopicEvent.Heartbeat>(e));
    }

    [Fact]
    public async Task SubscribeAsync_ServerStreamErrors_ResumesWithoutLossOrDuplicates()
    {
        const int Count = 20;
        using var subscriber = TestServer.CreateClient(_server, faults: TestServer.Faults(
            ("stream-error", "unavailable"), ("stream-error-rpcs", "topic-subscribe"), ("stream-error-message-limit", "3")));
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        await using var events = subscriber.SubscribeAsync(TestServer.Cache, "flaky", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await events.ExpectHeartbeatAsync();

        for (var i = 1; i <= Count; i++)
        {
            await PublishAsync("flaky", $"m{i}");
        }

        var received = new List<TopicEvent.TextItem>();
        while (received.Count < Count)
        {
            received.Add(Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync()));
        }

        Assert.Equal(Enumerable.Range(1, Count).Select(i => (ulong)i), received.Select(r => r.SequenceNumber));
        Assert.Equal(Enumerable.Range(1, Count).Select(i => $"m{i}"), received.Select(r => r.Value));
    }

    [Fact]
    public async Task SubscribeAsync_TopicReset_YieldsDiscontinuityThenNewPage()
    {
        using var subscriber = TestServer.CreateClient(_server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        await using var events = subscriber.SubscribeAsync(TestServer.Cache, "reset", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await events.ExpectHeartbeatAsync();
        await PublishAsync("reset", "old-1");
        await PublishAsync("reset", "old-2");
        var old = Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());
        Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());

        _server.ResetTopic(TestServer.Cache, "reset");
        var gap = Assert.IsType<TopicEvent.Discontinuity>(await events.NextNonHeartbeatAsync());
        await PublishAsync("reset", "new-1");
        var fresh = Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());

        Assert.Equal(2UL, gap.LastSequenceNumber);
        Assert.True(gap.NewSequencePage > old.SequencePage);
        Assert.Equal(("new-1", 1UL, gap.NewSequencePage), (fresh.Value, fresh.SequenceNumber, fresh.SequencePage));
    }

    [Fact]
    public async Task SubscribeAsync_ResumeOnUnknownPage_YieldsDiscontinuity()
    {
        using var subscriber = TestServer.CreateClient(_server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        await PublishAsync("resume", "before");

        var resumeAt = new SubscribeOptions { ResumeAtSequenceNumber = 1, SequencePage = 999_999 };
        await using var events = subscriber.SubscribeAsync(TestServer.Cache, "resume", resumeAt, cts.Token).GetAsyncEnumerator(cts.Token);
        await events.ExpectHeartbeatAsync();

        var gap = Assert.IsType<TopicEvent.Discontinuity>(await events.NextNonHeartbeatAsync());
        Assert.NotEqual(999_999UL, gap.NewSequencePage);
    }

    [Fact]
    public async Task SubscribeAsync_ResumeFromLastSeen_ReplaysOnlyNewerItems()
    {
        await PublishAsync("replay", "a");
        await PublishAsync("replay", "b");
        await PublishAsync("replay", "c");
        using var subscriber = TestServer.CreateClient(_server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);

        // Learn the page from a fresh subscription with a replay from the start of the buffer.
        await using (var probe = subscriber.SubscribeAsync(TestServer.Cache, "replay", new SubscribeOptions { ResumeAtSequenceNumber = 1, SequencePage = 0 }, cts.Token).GetAsyncEnumerator(cts.Token))
        {
            await probe.ExpectHeartbeatAsync();
            await PublishAsync("replay", "d");
            var page = await FirstItemPageAsync(probe);

            await using var resumed = subscriber.SubscribeAsync(TestServer.Cache, "replay", new SubscribeOptions { ResumeAtSequenceNumber = 2, SequencePage = page }, cts.Token).GetAsyncEnumerator(cts.Token);
            await resumed.ExpectHeartbeatAsync();

            var next = Assert.IsType<TopicEvent.TextItem>(await resumed.NextNonHeartbeatAsync());
            var after = Assert.IsType<TopicEvent.TextItem>(await resumed.NextNonHeartbeatAsync());
            Assert.Equal(("c", 3UL), (next.Value, next.SequenceNumber));
            Assert.Equal(("d", 4UL), (after.Value, after.SequenceNumber));
        }
    }

    [Fact]
    public async Task SubscribeAsync_ResumeServerCannotReplay_DiscontinuityCountsExactlyTheSkippedItems()
    {
        await using var server = await TestServer.StartAsync(replayBufferSize: 0);
        using var client = TestServer.CreateClient(server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        ulong page;
        await using (var live = client.SubscribeAsync(TestServer.Cache, "gone", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token))
        {
            await live.ExpectHeartbeatAsync();
            for (var i = 1; i <= 5; i++)
            {
                Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "gone", $"m{i}").DefaultTimeout());
            }

            page = Assert.IsType<TopicEvent.TextItem>(await live.NextNonHeartbeatAsync()).SequencePage;
        }

        // Processed up to 2; the server keeps nothing to replay, so 3, 4 and 5 are skipped.
        await using var resumed = client.SubscribeAsync(TestServer.Cache, "gone", new SubscribeOptions { ResumeAtSequenceNumber = 2, SequencePage = page }, cts.Token).GetAsyncEnumerator(cts.Token);
        await resumed.ExpectHeartbeatAsync();
        var gap = Assert.IsType<TopicEvent.Discontinuity>(await resumed.NextNonHeartbeatAsync());
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "gone", "m6").DefaultTimeout());
        var next = Assert.IsType<TopicEvent.TextItem>(await resumed.NextNonHeartbeatAsync());

        Assert.Equal(new TopicEvent.Discontinuity(2, 6, page), gap);
        Assert.Equal(3UL, gap.NewSequenceNumber - gap.LastSequenceNumber - 1);
        Assert.Equal(("m6", 6UL), (next.Value, next.SequenceNumber));
    }

    [Fact]
    public async Task SubscribeAsync_UnknownCache_YieldsNotFoundErrorAndEnds()
    {
        using var subscriber = TestServer.CreateClient(_server);

        var events = await Events.CollectAsync(subscriber.SubscribeAsync("no-such-cache", "topic"));

        var error = Assert.IsType<TopicEvent.Error>(Assert.Single(events)).TopicError;
        Assert.Equal(MomentoErrorCode.NotFoundError, error.Code);
    }

    [Fact]
    public async Task SubscribeAsync_CallerCancels_EndsQuietly()
    {
        using var subscriber = TestServer.CreateClient(_server);
        using var cts = new CancellationTokenSource();
        await using var events = subscriber.SubscribeAsync(TestServer.Cache, "cancel", cancellationToken: cts.Token).GetAsyncEnumerator();
        await events.ExpectHeartbeatAsync();

        await cts.CancelAsync();

        // Heartbeats already buffered may still come out; then the enumeration ends without an error.
        while (await events.MoveNextAsync().AsTask().DefaultTimeout())
        {
            Assert.IsType<TopicEvent.Heartbeat>(events.Current);
        }
    }

    private async Task PublishAsync(string topic, string value) =>
        Assert.IsType<TopicPublishResponse.Success>(await _publisher.PublishAsync(TestServer.Cache, topic, value).DefaultTimeout());

    private static async Task<ulong> FirstItemPageAsync(IAsyncEnumerator<TopicEvent> events)
    {
        while (true)
        {
            if (await events.NextNonHeartbeatAsync() is TopicEvent.TextItem item)
            {
                return item.SequencePage;
            }
        }
    }
}
