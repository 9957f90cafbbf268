using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

/// <summary>
/// What topics hold for replay is bounded per cache: a flood of distinct topic names makes the server forget the
/// least recently used idle topics (a resume there starts a new incarnation), never one somebody subscribes to.
/// </summary>
public sealed class RetentionTests
{
    private const long Budget = 64 * 1024;

    [Fact]
    public async Task Publish_DistinctTopicsBeyondTheBudget_OldIdleTopicsForgottenRecentAndSubscribedKept()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { HeartbeatInterval = Harness.FastHeartbeat, MaxRetainedBytesPerCache = Budget });
        using var held = await harness.SubscribeLiveAsync("held");
        await harness.PublishTextAsync("first", "one");

        // 100 topics of one 2000-byte value each: three times the budget.
        var value = new string('v', 2000);
        for (var i = 0; i < 100; i++)
        {
            await harness.PublishTextAsync("flood-" + i, value);
        }

        // A resume from item 1 on page 0 (no page the server uses) answers with the topic's next number: 2 where
        // the topic still holds its one item, 1 where it was forgotten and starts anew.
        Assert.Equal(1UL, await NextNumberAsync(harness, "first"));
        Assert.Equal(1UL, await NextNumberAsync(harness, "flood-0"));
        Assert.Equal(2UL, await NextNumberAsync(harness, "flood-99"));

        // The subscribed topic was the least recently used, yet it lives on: its subscriber gets the next publish.
        await harness.PublishTextAsync("held", "still delivered");
        var item = await held.NextItemAsync();
        Assert.Equal(1UL, item.TopicSequenceNumber);
        Assert.Equal("still delivered", item.Value.Text);
    }

    private static async Task<ulong> NextNumberAsync(Harness harness, string topic)
    {
        using var subscription = harness.Subscribe(topic, resumeAt: 1, page: 0);
        var gap = await subscription.NextDiscontinuityAsync();
        return gap.NewTopicSequence;
    }
}
