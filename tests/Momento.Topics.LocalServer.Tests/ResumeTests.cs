using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed class ResumeTests
{
    [Fact]
    public async Task Subscribe_ResumeWithinBuffer_ReplaysInclusiveThenLive()
    {
        await using var harness = await Harness.StartAsync();
        ulong page;
        using (var first = await harness.SubscribeLiveAsync("t"))
        {
            for (var i = 1; i <= 5; i++)
            {
                await harness.PublishTextAsync("t", "m" + i);
            }
            var items = new List<_TopicItem>();
            for (var i = 0; i < 5; i++)
            {
                items.Add(await first.NextItemAsync());
            }
            page = items[^1].SequencePage;
            Assert.Equal(5UL, items[^1].TopicSequenceNumber);
        }
        await harness.PublishTextAsync("t", "m6");
        await harness.PublishTextAsync("t", "m7");

        using var resumed = harness.Subscribe("t", resumeAt: 5, page: page);
        Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, (await resumed.NextAsync()).KindCase);
        var replayed = new[] { await resumed.NextItemAsync(), await resumed.NextItemAsync(), await resumed.NextItemAsync() };
        await harness.PublishTextAsync("t", "m8");
        var live = await resumed.NextItemAsync();

        // Inclusive: the first replayed item is the resume point itself, which a client drops.
        Assert.Equal([5UL, 6UL, 7UL], replayed.Select(i => i.TopicSequenceNumber));
        Assert.Equal(["m5", "m6", "m7"], replayed.Select(i => i.Value.Text));
        Assert.All(replayed, i => Assert.Equal(page, i.SequencePage));
        Assert.Equal(8UL, live.TopicSequenceNumber);
        Assert.Equal("m8", live.Value.Text);
    }

    [Fact]
    public async Task Subscribe_ResumeAtNextSequence_NoReplayNoDiscontinuity()
    {
        await using var harness = await Harness.StartAsync();
        var page = await harness.PublishNumberedAsync("t", 1, 3);

        using var resumed = await harness.SubscribeLiveAsync("t", resumeAt: 4, page: page);
        await harness.PublishTextAsync("t", "m4");

        var item = await resumed.NextItemAsync();
        Assert.Equal(4UL, item.TopicSequenceNumber);
    }

    // The rule for every discontinuity: last = the last number the subscriber has (after a resume,
    // resume_at - 1), new = the next it gets, so new - last - 1 is exactly the number it skipped.
    [Fact]
    public async Task Subscribe_ResumeOlderThanReplayBuffer_DiscontinuityCountsSkippedThenReplaysWhatIsHeld()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions
        {
            ReplayBufferSize = 2,
            HeartbeatInterval = Harness.FastHeartbeat,
        });
        var page = await harness.PublishNumberedAsync("t", 1, 5);

        // Wants 2..5; the buffer holds only 4 and 5, so 2 and 3 are skipped.
        using var resumed = await harness.SubscribeLiveAsync("t", resumeAt: 2, page: page);
        var discontinuity = await resumed.NextDiscontinuityAsync();
        var replayed = new[] { await resumed.NextItemAsync(), await resumed.NextItemAsync() };
        await harness.PublishTextAsync("t", "m6");
        var live = await resumed.NextItemAsync();

        Assert.Equal((1UL, 4UL, page), (discontinuity.LastTopicSequence, discontinuity.NewTopicSequence, discontinuity.NewSequencePage));
        Assert.Equal(2UL, discontinuity.NewTopicSequence - discontinuity.LastTopicSequence - 1);
        Assert.Equal([4UL, 5UL], replayed.Select(i => i.TopicSequenceNumber));
        Assert.Equal(["m4", "m5"], replayed.Select(i => i.Value.Text));
        Assert.Equal(6UL, live.TopicSequenceNumber);
    }

    [Fact]
    public async Task Subscribe_ResumeWithReplayDisabled_DiscontinuityCountsSkippedThenLive()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions
        {
            ReplayBufferSize = 0,
            HeartbeatInterval = Harness.FastHeartbeat,
        });
        var page = await harness.PublishNumberedAsync("t", 1, 5);

        // Has 1 and 2, wants 3: 3, 4 and 5 are gone.
        using var resumed = await harness.SubscribeLiveAsync("t", resumeAt: 3, page: page);
        var discontinuity = await resumed.NextDiscontinuityAsync();
        await harness.PublishTextAsync("t", "m6");
        var live = await resumed.NextItemAsync();

        Assert.Equal((2UL, 6UL, page), (discontinuity.LastTopicSequence, discontinuity.NewTopicSequence, discontinuity.NewSequencePage));
        Assert.Equal(3UL, discontinuity.NewTopicSequence - discontinuity.LastTopicSequence - 1);
        Assert.Equal(6UL, live.TopicSequenceNumber);
    }

    [Fact]
    public async Task Subscribe_ResumeWithOtherPage_SendsDiscontinuityWithCurrentPage()
    {
        await using var harness = await Harness.StartAsync();
        var page = await harness.PublishNumberedAsync("t", 1, 3);

        using var resumed = await harness.SubscribeLiveAsync("t", resumeAt: 2, page: page + 1000);
        var discontinuity = await resumed.NextDiscontinuityAsync();

        Assert.Equal(1UL, discontinuity.LastTopicSequence);
        Assert.Equal(4UL, discontinuity.NewTopicSequence);
        Assert.Equal(page, discontinuity.NewSequencePage);
    }

    [Fact]
    public async Task ResetTopic_LiveSubscriber_GetsDiscontinuityAndNumbersRestartOnLargerPage()
    {
        await using var harness = await Harness.StartAsync();
        using var subscription = await harness.SubscribeLiveAsync("t");
        await harness.PublishTextAsync("t", "a");
        await harness.PublishTextAsync("t", "b");
        var before = await subscription.NextItemAsync();
        await subscription.NextItemAsync();

        harness.Server.ResetTopic(Harness.Cache, "t");
        await harness.PublishTextAsync("t", "c");
        var discontinuity = await subscription.NextDiscontinuityAsync();
        var after = await subscription.NextItemAsync();

        Assert.Equal(2UL, discontinuity.LastTopicSequence);
        Assert.Equal(1UL, discontinuity.NewTopicSequence);
        Assert.True(discontinuity.NewSequencePage > before.SequencePage);
        Assert.Equal(1UL, after.TopicSequenceNumber);
        Assert.Equal(discontinuity.NewSequencePage, after.SequencePage);
        Assert.Equal("c", after.Value.Text);
    }

    [Fact]
    public async Task ResetTopic_ResumeOnOldPage_SendsDiscontinuity()
    {
        await using var harness = await Harness.StartAsync();
        var oldPage = await harness.PublishNumberedAsync("t", 1, 3);

        harness.Server.ResetTopic(Harness.Cache, "t");
        using var resumed = await harness.SubscribeLiveAsync("t", resumeAt: 3, page: oldPage);
        var discontinuity = await resumed.NextDiscontinuityAsync();

        Assert.Equal(2UL, discontinuity.LastTopicSequence);
        Assert.Equal(1UL, discontinuity.NewTopicSequence);
        Assert.True(discontinuity.NewSequencePage > oldPage);
    }

    [Fact]
    public async Task ResetTopic_UnknownCacheOrBlankTopic_Throws()
    {
        await using var harness = await Harness.StartAsync();

        Assert.Throws<ArgumentException>(() => harness.Server.ResetTopic("missing", "t"));
        Assert.Throws<ArgumentException>(() => harness.Server.ResetTopic(Harness.Cache, " "));
    }
}
