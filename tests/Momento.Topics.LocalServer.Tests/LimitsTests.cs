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
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
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

    // Every way a request can be too large gets the hosted service's answer for an oversized value, and none
    // of them leaves the server unable to serve: over the value limit, over the whole-message limit (refused
    // from the length prefix, before the body is read), inflating past it once decompressed, or a subscribe.
    [Fact]
    public async Task AllRpcs_ManyOversizedRequests_RefusedWithSizeErrAndServerKeepsServing()
    {
        const int Rounds = 50;
        await using var harness = await Harness.StartAsync();
        using var subscription = await harness.SubscribeLiveAsync("t");
        var clients = Enumerable.Range(0, 4).Select(_ => harness.NewClient()).ToList();
        var overMessageLimit = Harness.Binary(new byte[256 * 1024]);
        var overValueLimit = Harness.Binary(new byte[8 * 1024]);
        // 4 MB of one letter compresses to a few KB, under the message limit until it is inflated.
        var bomb = new _TopicValue { Text = new string('a', 4_000_000) };
        var gzip = new Metadata { { "grpc-internal-encoding-request", "gzip" } };
        var deflate = new Metadata { { "grpc-internal-encoding-request", "deflate" } };
        var longTopic = new string('t', 64 * 1024);

        var refusals = new List<Task<RpcException>>();
        for (var i = 0; i < Rounds; i++)
        {
            var client = clients[i % clients.Count];
            refusals.Add(RefusedAsync(() => harness.PublishAsync("t", overMessageLimit, client: client)));
            refusals.Add(RefusedAsync(() => harness.PublishAsync("t", overValueLimit, client: client)));
            refusals.Add(RefusedAsync(() => harness.PublishAsync("t", bomb, i % 2 == 0 ? gzip : deflate, client: client)));
            refusals.Add(RefusedAsync(async () =>
            {
                using var tooLong = harness.Subscribe(longTopic, client: client);
                throw await tooLong.ErrorAsync();
            }));
        }
        var errors = await Task.WhenAll(refusals).DefaultTimeout();

        // Still serving, on every connection that sent oversized requests.
        foreach (var client in clients)
        {
            await harness.PublishAsync("t", new _TopicValue { Text = "small" }, client: client);
        }
        var items = new[] { await subscription.NextItemAsync(), await subscription.NextItemAsync(), await subscription.NextItemAsync(), await subscription.NextItemAsync() };

        Assert.All(errors, ex =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
            Assert.Equal("request_size_limit_exceeded", ex.Trailers.GetValue("err"));
        });
        Assert.Contains(errors, ex => ex.Status.Detail == "Request message exceeds the limit of 12288 bytes (a published value may be at most 4096 bytes)");
        Assert.Contains(errors, ex => ex.Status.Detail == "Message size 8192 bytes exceeds the limit of 4096 bytes");
        // No refused value took a sequence number.
        Assert.Equal([1UL, 2UL, 3UL, 4UL], items.Select(i => i.TopicSequenceNumber));
        Assert.All(items, i => Assert.Equal("small", i.Value.Text));
    }

    // Refused from the length prefix while the client is still uploading: without care, Kestrel resets such
    // streams and a burst of resets trips its rapid-reset guard, so some publishes would see ENHANCE_YOUR_CALM
    // or a dropped connection instead of the size answer.
    [Fact]
    public async Task Publish_BurstOfOverLimitMessagesOnOneConnection_EveryOneGetsTheSizeAnswer()
    {
        const int Count = 600;
        await using var harness = await Harness.StartAsync();
        var client = harness.NewClient();
        var value = Harness.Binary(new byte[64 * 1024]);
        using var concurrency = new SemaphoreSlim(32);

        var errors = await Task.WhenAll(Enumerable.Range(0, Count).Select(async _ =>
        {
            await concurrency.WaitAsync();
            try
            {
                return await RefusedAsync(() => harness.PublishAsync("t", value, client: client));
            }
            finally
            {
                concurrency.Release();
            }
        })).WaitAsync(TimeSpan.FromSeconds(60)); // 38 MB of uploads on a shared machine: a generous bound.
        await harness.PublishAsync("t", new _TopicValue { Text = "small" }, client: client);

        var answers = errors
            .GroupBy(e => $"{e.StatusCode} err={e.Trailers.GetValue("err")}")
            .Select(g => $"{g.Key} x{g.Count()}");
        Assert.Equal([$"ResourceExhausted err=request_size_limit_exceeded x{Count}"], answers);
    }

    [Fact]
    public async Task Publish_MoreHeadersThanTheLimit_ServerRefusesAndKeepsServing()
    {
        await using var harness = await Harness.StartAsync();
        var tooMany = new Metadata();
        for (var i = 0; i < 150; i++)
        {
            tooMany.Add("h" + i, "v");
        }

        for (var i = 0; i < 10; i++)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", tooMany));
            // Kestrel refuses a request with over 100 header fields: 431 on the stream, or a PROTOCOL_ERROR
            // GOAWAY when it cannot keep the connection's header compression state in step.
            Assert.Equal(StatusCode.Internal, ex.StatusCode);
            Assert.True(
                ex.Status.Detail.Contains("431", StringComparison.Ordinal) || ex.Status.Detail.Contains("PROTOCOL_ERROR", StringComparison.Ordinal),
                ex.Status.Detail);
        }
        await harness.PublishTextAsync("t", "x");
    }

    [Fact]
    public async Task Server_AdvertisesHeaderListLimit_ClientRefusesToSendLargerHeaders()
    {
        await using var harness = await Harness.StartAsync();
        await harness.PublishTextAsync("t", "learn the server's settings");

        var ex = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", new Metadata { { "x-big", new string('a', 64 * 1024) } }));

        Assert.Contains("32768", ex.Status.Detail, StringComparison.Ordinal);
        await harness.PublishTextAsync("t", "x");
    }

    private static async Task<RpcException> RefusedAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("The oversized request was accepted.");
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
