using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed class PublishSubscribeTests
{
    [Fact]
    public async Task Publish_TextAndBinary_SubscriberReceivesBothInOrder()
    {
        await using var harness = await Harness.StartAsync();
        using var subscription = await harness.SubscribeLiveAsync("t");

        await harness.PublishTextAsync("t", "hello");
        await harness.PublishAsync("t", Harness.Binary(0, 1, 2, 255));

        var first = await subscription.NextItemAsync();
        var second = await subscription.NextItemAsync();
        Assert.Equal("hello", first.Value.Text);
        Assert.Equal(1UL, first.TopicSequenceNumber);
        Assert.NotEqual(0UL, first.SequencePage);
        Assert.Equal(string.Empty, first.PublisherId);
        Assert.Equal(_TopicValue.KindOneofCase.Binary, second.Value.KindCase);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, second.Value.Binary.ToByteArray());
        Assert.Equal(2UL, second.TopicSequenceNumber);
        Assert.Equal(first.SequencePage, second.SequencePage);
    }

    [Fact]
    public async Task Publish_EmptyTextAndNoSubscribers_ReturnsOk()
    {
        await using var harness = await Harness.StartAsync();

        await harness.PublishTextAsync("nobody-listens", string.Empty);
        using var subscription = await harness.SubscribeLiveAsync("nobody-listens");
        await harness.PublishTextAsync("nobody-listens", string.Empty);

        var item = await subscription.NextItemAsync();
        Assert.Equal(_TopicValue.KindOneofCase.Text, item.Value.KindCase);
        Assert.Equal(string.Empty, item.Value.Text);
        Assert.Equal(2UL, item.TopicSequenceNumber);
    }

    [Fact]
    public async Task Subscribe_Idle_FirstMessageIsHeartbeatThenPeriodicHeartbeats()
    {
        await using var harness = await Harness.StartAsync();
        using var subscription = harness.Subscribe("quiet");

        for (var i = 0; i < 4; i++)
        {
            var message = await subscription.NextAsync();
            Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, message.KindCase);
        }
    }

    [Fact]
    public async Task Subscribe_LongHeartbeatInterval_FirstHeartbeatIsImmediateThenItems()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { HeartbeatInterval = TimeSpan.FromMinutes(1) });
        using var subscription = harness.Subscribe("t");

        // Within the default timeout, far shorter than the interval: the first heartbeat is not periodic.
        var first = await subscription.NextAsync();
        await harness.PublishTextAsync("t", "x");
        var next = await subscription.NextAsync();

        Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, first.KindCase);
        Assert.Equal(_SubscriptionItem.KindOneofCase.Item, next.KindCase);
    }

    [Fact]
    public async Task Subscribe_SeveralSubscribersAndConcurrentPublishers_SeeIdenticalOrderAndNumbers()
    {
        const int Publishers = 4;
        const int PerPublisher = 25;
        await using var harness = await Harness.StartAsync();
        var subscriptions = new List<Subscription>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                subscriptions.Add(await harness.SubscribeLiveAsync("shared", client: harness.NewClient()));
            }

            await Task.WhenAll(Enumerable.Range(0, Publishers).Select(async p =>
            {
                var client = harness.NewClient();
                for (var i = 0; i < PerPublisher; i++)
                {
                    await harness.PublishAsync("shared", new _TopicValue { Text = $"{p}-{i}" }, client: client);
                }
            })).DefaultTimeout();

            var views = new List<List<(ulong Seq, string Text)>>();
            foreach (var subscription in subscriptions)
            {
                var view = new List<(ulong, string)>();
                for (var i = 0; i < Publishers * PerPublisher; i++)
                {
                    var item = await subscription.NextItemAsync();
                    view.Add((item.TopicSequenceNumber, item.Value.Text));
                }
                views.Add(view);
            }

            Assert.Equal(Enumerable.Range(1, Publishers * PerPublisher).Select(i => (ulong)i), views[0].Select(v => v.Seq));
            Assert.Equal(Publishers * PerPublisher, views[0].Select(v => v.Text).Distinct().Count());
            Assert.All(views, view => Assert.Equal(views[0], view));
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Subscribe_OtherTopicAndCache_DoNotReceiveItems()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions
        {
            Caches = ["a", "b"],
            HeartbeatInterval = Harness.FastHeartbeat,
        });
        using var sameTopicOtherCache = await harness.SubscribeLiveAsync("t", cache: "b");
        using var otherTopic = await harness.SubscribeLiveAsync("u", cache: "a");

        await harness.PublishTextAsync("t", "for-a", cache: "a");
        await harness.PublishTextAsync("t", "for-b", cache: "b");
        await harness.PublishTextAsync("u", "for-u", cache: "a");

        Assert.Equal("for-b", (await sameTopicOtherCache.NextItemAsync()).Value.Text);
        var item = await otherTopic.NextItemAsync();
        Assert.Equal("for-u", item.Value.Text);
        Assert.Equal(1UL, item.TopicSequenceNumber);
    }

    [Fact]
    public async Task Ping_Called_ReturnsOk()
    {
        await using var harness = await Harness.StartAsync();

        var call = harness.Ping.PingAsync(new Momento.Protos.CachePing._PingRequest());
        await call.ResponseAsync.DefaultTimeout();

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
