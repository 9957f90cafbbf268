using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed class LimitsTests
{
    [Fact]
    public async Task Subscribe_BeyondPerCacheLimit_ResourceExhaustedUntilASlotIsFreed()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions
        {
            Caches = ["a", "b"],
            MaxSubscriptionsPerCache = 2,
            HeartbeatInterval = Harness.FastHeartbeat,
        });
        var first = await harness.SubscribeLiveAsync("t1", cache: "a");
        using var second = await harness.SubscribeLiveAsync("t2", cache: "a");

        using var third = harness.Subscribe("t3", cache: "a");
        var ex = await third.ErrorAsync();
        using var otherCache = await harness.SubscribeLiveAsync("t1", cache: "b");

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("topic_subscriptions_limit_exceeded", ex.Trailers.GetValue("err"));

        // Cancelling frees the slot once the server has seen the stream end; retry until it has.
        first.Dispose();
        using var replacement = await SubscribeWhenSlotFreeAsync(harness, "a");
        await harness.PublishTextAsync("t3", "x", cache: "a");
        Assert.Equal("x", (await replacement.NextItemAsync()).Value.Text);
    }

    private static async Task<Subscription> SubscribeWhenSlotFreeAsync(Harness harness, string cache)
    {
        var deadline = DateTime.UtcNow + TestExtensions.Timeout;
        while (true)
        {
            var attempt = harness.Subscribe("t3", cache: cache);
            try
            {
                var first = await attempt.NextAsync();
                Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, first.KindCase);
                return attempt;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                attempt.Dispose();
            }
        }
    }

    [Fact]
    public async Task Publish_SlowSubscriber_PublisherNeverBlocksSlowOneGetsDiscontinuityFastOneGetsAll()
    {
        const int Count = 200;
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions
        {
            SubscriberQueueCapacity = 4,
            HeartbeatInterval = Harness.FastHeartbeat,
        });
        // Separate connections, so the slow reader's full HTTP/2 window cannot stall the others.
        using var slow = await harness.SubscribeLiveAsync("t", client: harness.NewClient());
        using var fast = await harness.SubscribeLiveAsync("t", client: harness.NewClient());

        // Near-limit values fill the slow stream's flow-control window after a few dozen items.
        // Lockstep with the fast reader, so its own 4-item queue never overflows on a busy machine;
        // every publish returns while the slow subscriber reads nothing.
        var publisher = harness.NewClient();
        var payload = new byte[4000];
        for (var i = 1; i <= Count; i++)
        {
            await harness.PublishAsync("t", Harness.Binary(payload), client: publisher);
            Assert.Equal((ulong)i, (await fast.NextItemAsync()).TopicSequenceNumber);
        }

        // Only now does the slow subscriber read; then one more publish after its gap. Every discontinuity
        // follows the rule: last = the item received just before, new = the item received just after, and
        // new - last - 1 counts exactly the items this subscriber never got.
        var lastReceived = 0UL;
        var discontinuities = 0;
        var received = 0UL;
        var skipped = 0UL;
        _Discontinuity? pending = null;
        while (received + skipped < Count)
        {
            var message = await slow.NextNonHeartbeatAsync();
            if (message.KindCase == _SubscriptionItem.KindOneofCase.Item)
            {
                var sequence = message.Item.TopicSequenceNumber;
                Assert.Equal(pending?.NewTopicSequence ?? lastReceived + 1, sequence);
                pending = null;
                lastReceived = sequence;
                received++;
            }
            else
            {
                Assert.Null(pending);
                pending = message.Discontinuity;
                Assert.Equal(lastReceived, pending.LastTopicSequence);
                Assert.True(pending.NewTopicSequence > lastReceived + 1);
                skipped += pending.NewTopicSequence - pending.LastTopicSequence - 1;
                discontinuities++;
            }
        }
        await harness.PublishTextAsync("t", "after");
        var after = await slow.NextItemAsync();

        Assert.True(discontinuities >= 1);
        Assert.Equal((ulong)Count, received + skipped);
        Assert.Equal((ulong)Count + 1, pending?.NewTopicSequence ?? lastReceived + 1);
        Assert.Equal((ulong)Count + 1, after.TopicSequenceNumber);
    }
}
