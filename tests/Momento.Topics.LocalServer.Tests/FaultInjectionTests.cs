using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.CachePing;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task ReturnError_WithErrorRpcsAndCount_FailsOnlyListedRpcForCountCalls()
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata
        {
            { "return-error", "unavailable" },
            { "error-rpcs", "topic-publish" },
            { "error-count", "2" },
        };

        var first = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "1", headers));
        await harness.Ping.PingAsync(new _PingRequest(), headers).ResponseAsync.DefaultTimeout();
        var second = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "2", headers));
        await harness.PublishTextAsync("t", "3", headers);
        await harness.PublishTextAsync("t", "4", headers);

        Assert.Equal(StatusCode.Unavailable, first.StatusCode);
        Assert.Equal(StatusCode.Unavailable, second.StatusCode);
    }

    [Fact]
    public async Task ReturnError_DistinctSpecs_CountedIndependently()
    {
        await using var harness = await Harness.StartAsync();
        static Metadata Spec(string requestId) => new()
        {
            { "request-id", requestId },
            { "return-error", "internal" },
            { "error-count", "1" },
        };

        var a = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", Spec("a")));
        var b = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", Spec("b")));
        await harness.PublishTextAsync("t", "x", Spec("a"));

        Assert.Equal(StatusCode.Internal, a.StatusCode);
        Assert.Equal(StatusCode.Internal, b.StatusCode);
    }

    [Fact]
    public async Task ReturnError_WithoutErrorRpcs_AppliesToEveryRpc()
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata { { "return-error", "permission-denied" } };

        var publish = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", headers));
        var ping = await Assert.ThrowsAsync<RpcException>(() => harness.Ping.PingAsync(new _PingRequest(), headers).ResponseAsync.DefaultTimeout());
        using var subscription = harness.Subscribe("t", headers: headers);
        var subscribe = await subscription.ErrorAsync();

        Assert.Equal(StatusCode.PermissionDenied, publish.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, ping.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, subscribe.StatusCode);
    }

    [Theory]
    [InlineData("retryable")]
    [InlineData("possibly_retryable")]
    public async Task ReturnError_WithRetryDisposition_PutsItInTrailer(string disposition)
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata
        {
            { "return-error", "unavailable" },
            { "error-rpcs", "topic-publish topic-subscribe" },
            { "retry-disposition", disposition },
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", headers));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(disposition, ex.Trailers.GetValue("retry_disposition"));
    }

    [Fact]
    public async Task Delay_WithCount_DelaysOnlyListedRpcForCountCalls()
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata
        {
            { "delay-rpcs", "topic-publish" },
            { "delay-ms", "10000" },
            { "delay-count", "1" },
        };
        var request = new _PublishRequest { CacheName = Harness.Cache, Topic = "t", Value = new _TopicValue { Text = "x" } };

        // A client deadline well short of the delay proves the first call was held back by it; long enough that the call
        // reaches the server and spends the count even on a loaded machine (at 300 ms it sometimes did not).
        var delayed = await Assert.ThrowsAsync<RpcException>(() => harness.Pubsub
            .PublishAsync(request, headers, DateTime.UtcNow.AddMilliseconds(1500)).ResponseAsync.DefaultTimeout());
        // The count is spent, and ping is not listed: both answer well within the delay.
        await harness.Pubsub.PublishAsync(request, headers).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(5));
        await harness.Ping.PingAsync(new _PingRequest(), headers).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(StatusCode.DeadlineExceeded, delayed.StatusCode);
    }

    [Fact]
    public async Task StreamError_WithMessageLimit_FailsAfterThatManyItems()
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata
        {
            { "stream-error-rpcs", "topic-subscribe" },
            { "stream-error", "unavailable" },
            { "stream-error-message-limit", "2" },
            { "retry-disposition", "retryable" },
        };
        using var subscription = await harness.SubscribeLiveAsync("t", headers: headers);

        for (var i = 1; i <= 3; i++)
        {
            await harness.PublishTextAsync("t", "m" + i);
        }
        var items = new[] { await subscription.NextItemAsync(), await subscription.NextItemAsync() };
        var ex = await subscription.ErrorAsync();

        Assert.Equal([1UL, 2UL], items.Select(i => i.TopicSequenceNumber));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal("retryable", ex.Trailers.GetValue("retry_disposition"));
    }

    // The JS SDK records a discontinuity's new_topic_sequence as received and resumes after it, so a break
    // between a discontinuity and that item would lose the item for good.
    [Fact]
    public async Task StreamError_LimitReachedOnDiscontinuity_BreaksOnlyAfterTheItemItNames()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions
        {
            ReplayBufferSize = 0,
            HeartbeatInterval = Harness.FastHeartbeat,
        });
        var page = await harness.PublishNumberedAsync("t", 1, 3);
        var headers = new Metadata
        {
            { "stream-error-rpcs", "topic-subscribe" },
            { "stream-error", "unavailable" },
            { "stream-error-message-limit", "1" },
        };

        // Has 1, wants 2: the gap is reported as the first (limit-reaching) message.
        using var resumed = await harness.SubscribeLiveAsync("t", resumeAt: 2, page: page, headers: headers);
        var discontinuity = await resumed.NextDiscontinuityAsync();
        // Heartbeats keep coming while item 4 is not published yet; the stream stays open for it.
        Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, (await resumed.NextAsync()).KindCase);
        Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, (await resumed.NextAsync()).KindCase);
        await harness.PublishTextAsync("t", "m4");
        var item = await resumed.NextItemAsync();
        var ex = await resumed.ErrorAsync();

        Assert.Equal((1UL, 4UL), (discontinuity.LastTopicSequence, discontinuity.NewTopicSequence));
        Assert.Equal(4UL, item.TopicSequenceNumber);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task StreamError_WithZeroLimit_FailsRightAfterFirstHeartbeat()
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata
        {
            { "stream-error", "internal" },
            { "stream-error-message-limit", "0" },
        };
        using var subscription = harness.Subscribe("t", headers: headers);

        var first = await subscription.NextAsync();
        var ex = await subscription.ErrorAsync();

        Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, first.KindCase);
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task StreamError_ForOtherRpc_DoesNotAffectSubscription()
    {
        await using var harness = await Harness.StartAsync();
        var headers = new Metadata
        {
            { "stream-error-rpcs", "topic-publish" },
            { "stream-error", "unavailable" },
            { "stream-error-message-limit", "0" },
        };
        using var subscription = await harness.SubscribeLiveAsync("t", headers: headers);

        await harness.PublishTextAsync("t", "x", headers);

        Assert.Equal("x", (await subscription.NextItemAsync()).Value.Text);
    }

    [Theory]
    [InlineData("return-error", "bogus")]
    [InlineData("error-rpcs", "topic-frobnicate")]
    [InlineData("error-count", "two")]
    [InlineData("retry-disposition", "maybe")]
    [InlineData("delay-ms", "-5")]
    [InlineData("delay-count", "x")]
    [InlineData("stream-error", "oops")]
    [InlineData("stream-error-message-limit", "1.5")]
    public async Task FaultHeader_BadValue_InvalidArgumentNamingHeader(string header, string value)
    {
        await using var harness = await Harness.StartAsync();
        // Each bad header rides along with a valid spec so it is actually read.
        var headers = new Metadata
        {
            { "return-error", "unavailable" },
            { "delay-ms", "0" },
            { "stream-error", "unavailable" },
        };
        headers.Remove(headers.Get(header) ?? new Metadata.Entry("unused", string.Empty));
        headers.Add(header, value);

        var ex = await Assert.ThrowsAsync<RpcException>(() => harness.PublishTextAsync("t", "x", headers));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains($"'{header}'", ex.Status.Detail, StringComparison.Ordinal);
    }
}
