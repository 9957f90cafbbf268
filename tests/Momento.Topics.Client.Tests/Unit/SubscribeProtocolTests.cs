using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>Subscription behaviour for server misbehaviour that the local server cannot be made to show.</summary>
public sealed class SubscribeProtocolTests
{
    // The default first-heartbeat timeout (5 s) keeps a busy machine from timing out canned answers.
    private static readonly TopicClientOptions FastOptions = new() { ResubscribeDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task SubscribeAsync_FirstMessageNotHeartbeat_YieldsProtocolViolationAndEnds()
    {
        var handler = new FakeGrpcHandler((_, _) => Task.FromResult(FakeGrpcHandler.Response([Item(1, 1, "early")])));
        using var client = CreateClient(handler);

        var events = await Events.CollectAsync(client.SubscribeAsync("cache", "topic"), CancellationToken.None);

        var error = Assert.IsType<TopicEvent.Error>(Assert.Single(events)).TopicError;
        Assert.Equal(MomentoErrorCode.InternalServerError, error.Code);
        Assert.Contains("protocol violation", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests.Count);
    }

    [Fact]
    public async Task SubscribeAsync_StreamEndsWithOk_ResumesAtNextItemAndDropsRepeats()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, ct) => Interlocked.Increment(ref attempt) switch
        {
            1 => Task.FromResult(FakeGrpcHandler.Response([Heartbeat(), Item(1, 7, "one")])),
            2 => Task.FromResult(FakeGrpcHandler.Response([Heartbeat(), Item(1, 7, "one"), Item(2, 7, "two")])),
            _ => FakeGrpcHandler.Hang(ct),
        });
        using var client = CreateClient(handler);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);

        var events = await Events.CollectAsync(client.SubscribeAsync("cache", "topic", cancellationToken: cts.Token), cts.Token, stopAfter: 4);

        Assert.Equal(
            ["heartbeat", "one@1/7", "heartbeat", "two@2/7"],
            events.Select(Events.Describe));
        var first = await NextRequestAsync(handler);
        var second = await NextRequestAsync(handler);
        Assert.Equal((0UL, 0UL), (first.ResumeAtTopicSequenceNumber, first.SequencePage));
        // The next number wanted, as the JS SDK asks; a repeat of item 1 is still dropped.
        Assert.Equal((2UL, 7UL), (second.ResumeAtTopicSequenceNumber, second.SequencePage));
    }

    [Fact]
    public async Task SubscribeAsync_NoFirstHeartbeatInTime_Resubscribes()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, ct) => Interlocked.Increment(ref attempt) == 1
            ? FakeGrpcHandler.Hang(ct)
            : Task.FromResult(FakeGrpcHandler.Response([Heartbeat(), Item(3, 1, "three")], StatusCode.Unavailable)));
        using var client = CreateClient(handler, FastOptions with { FirstHeartbeatTimeout = TimeSpan.FromMilliseconds(200) });
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);

        var events = await Events.CollectAsync(client.SubscribeAsync("cache", "topic", cancellationToken: cts.Token), cts.Token, stopAfter: 2);

        Assert.Equal(["heartbeat", "three@3/1"], events.Select(Events.Describe));
        Assert.True(attempt >= 2);
    }

    [Fact]
    public async Task SubscribeAsync_Discontinuity_ResumesOnNewPageAtNewSequence()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, ct) => Interlocked.Increment(ref attempt) switch
        {
            1 => Task.FromResult(FakeGrpcHandler.Response(
                [Heartbeat(), Item(5, 1, "five"), new _SubscriptionItem { Discontinuity = new _Discontinuity { LastTopicSequence = 5, NewTopicSequence = 10, NewSequencePage = 2 } }],
                StatusCode.Unavailable)),
            2 => Task.FromResult(FakeGrpcHandler.Response([Heartbeat(), Item(9, 2, "nine"), Item(10, 2, "ten")], StatusCode.Internal)),
            _ => FakeGrpcHandler.Hang(ct),
        });
        using var client = CreateClient(handler);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);

        var events = await Events.CollectAsync(client.SubscribeAsync("cache", "topic", cancellationToken: cts.Token), cts.Token, stopAfter: 5);

        Assert.Equal(["heartbeat", "five@5/1", "gap 5->10/2", "heartbeat", "ten@10/2"], events.Select(Events.Describe));
        await NextRequestAsync(handler);
        var resume = await NextRequestAsync(handler);
        // Asks for item 10 itself: the discontinuity said it comes next, and it has not arrived yet.
        Assert.Equal((10UL, 2UL), (resume.ResumeAtTopicSequenceNumber, resume.SequencePage));
    }

    [Fact]
    public async Task SubscribeAsync_ResumeOptions_AreSentAndResumePointIsNotRepeated()
    {
        var handler = new FakeGrpcHandler((_, _) => Task.FromResult(
            FakeGrpcHandler.Response([Heartbeat(), Item(41, 3, "replayed"), Item(42, 3, "new")], StatusCode.NotFound)));
        using var client = CreateClient(handler);

        var events = await Events.CollectAsync(
            client.SubscribeAsync("cache", "topic", new SubscribeOptions { ResumeAtSequenceNumber = 41, SequencePage = 3 }),
            CancellationToken.None);

        Assert.Equal(["heartbeat", "new@42/3", "error NOT_FOUND_ERROR"], events.Select(Events.Describe));
        var request = await NextRequestAsync(handler);
        Assert.Equal((42UL, 3UL), (request.ResumeAtTopicSequenceNumber, request.SequencePage));
    }

    [Fact]
    public async Task SubscribeAsync_EveryCall_CarriesAuthorizationAgentRuntimeAndCacheHeaders()
    {
        var handler = new FakeGrpcHandler((_, _) => Task.FromResult(FakeGrpcHandler.Response([], StatusCode.PermissionDenied)));
        using var client = CreateClient(handler, authToken: "token-for-test");

        var events = await Events.CollectAsync(client.SubscribeAsync("my-cache", "topic"), CancellationToken.None);

        Assert.Equal(MomentoErrorCode.PermissionError, Assert.IsType<TopicEvent.Error>(Assert.Single(events)).TopicError.Code);
        Assert.True(handler.Requests.TryRead(out var request));
        Assert.Equal("/cache_client.pubsub.Pubsub/Subscribe", request.Path);
        Assert.Equal("token-for-test", request.Headers["authorization"]);
        Assert.StartsWith("dotnet-lambda-publisher:", request.Headers["agent"], StringComparison.Ordinal);
        Assert.Equal($"dotnet:{Environment.Version}", request.Headers["runtime-version"]);
        Assert.Equal("my-cache", request.Headers["cache"]);
    }

    [Fact]
    public async Task PublishAsync_Request_CarriesHeadersAndFields()
    {
        var handler = new FakeGrpcHandler((_, _) => Task.FromResult(FakeGrpcHandler.Response([new Momento.Protos.Common._Empty()])));
        using var client = CreateClient(handler);

        var response = await client.PublishAsync("my-cache", "my-topic", "hello").DefaultTimeout();

        Assert.Equal(new TopicPublishResponse.Success(1), response);
        Assert.True(handler.Requests.TryRead(out var request));
        Assert.Equal("/cache_client.pubsub.Pubsub/Publish", request.Path);
        Assert.Equal(string.Empty, request.Headers.GetValueOrDefault("authorization", string.Empty));
        Assert.Equal("my-cache", request.Headers["cache"]);
        var sent = _PublishRequest.Parser.ParseFrom(request.Message);
        Assert.Equal(("my-cache", "my-topic", "hello"), (sent.CacheName, sent.Topic, sent.Value.Text));
    }

    [Fact]
    public async Task SubscribeAsync_ClientDisposed_YieldsCancelledErrorAndEnds()
    {
        var handler = new FakeGrpcHandler((_, ct) => FakeGrpcHandler.Hang(ct));
        var client = CreateClient(handler);
        await using var enumerator = client.SubscribeAsync("cache", "topic").GetAsyncEnumerator();

        var next = enumerator.MoveNextAsync().AsTask();
        await handler.Requests.ReadAsync().AsTask().DefaultTimeout();
        client.Dispose();

        Assert.True(await next.DefaultTimeout());
        var error = Assert.IsType<TopicEvent.Error>(enumerator.Current).TopicError;
        Assert.Equal(MomentoErrorCode.CancelledError, error.Code);
        Assert.False(await enumerator.MoveNextAsync().AsTask().DefaultTimeout());
    }

    private static TopicClient CreateClient(FakeGrpcHandler handler, TopicClientOptions? options = null, string authToken = "") =>
        TopicClient.Create(
            CredentialProvider.ForLocal("127.0.0.1:1", authToken),
            (options ?? FastOptions) with { HttpHandlerFactory = () => handler });

    private static _SubscriptionItem Heartbeat() => new() { Heartbeat = new _Heartbeat() };

    private static _SubscriptionItem Item(ulong sequence, ulong page, string text) => new()
    {
        Item = new _TopicItem { TopicSequenceNumber = sequence, SequencePage = page, PublisherId = "p", Value = new _TopicValue { Text = text } },
    };

    private static async Task<_SubscriptionRequest> NextRequestAsync(FakeGrpcHandler handler) =>
        _SubscriptionRequest.Parser.ParseFrom((await handler.Requests.ReadAsync().AsTask().DefaultTimeout()).Message);
}
