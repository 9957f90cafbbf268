using System.Text.Json;
using CsCheck;
using Functions.Common.Http;
using Microsoft.Extensions.Time.Testing;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Contracts;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// Idempotency-Key over the real local server, whose cache holds the records: one publish per key, byte-identical
/// replays, 422 for another request, 409 while in flight, release when certainly not published, expiry, cache down.
/// </summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private LocalTopicsServer _server = null!;
    private FunctionHost _host = null!;

    public static TheoryData<EventShape, string> ShapesAndRoutes()
    {
        var data = new TheoryData<EventShape, string>();
        foreach (var shape in TestEvents.Shapes)
        {
            data.Add(shape, "/topics");
            data.Add(shape, "/topics/{topicName}");
        }

        return data;
    }

    public async Task InitializeAsync()
    {
        _server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions
        {
            Port = 0,
            Caches = [FunctionHost.CacheName],
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            TimeProvider = _time,
        }).DefaultTimeout();
        var settings = FunctionHost.LocalSettings(_server);
        settings[EnvironmentVariables.IdempotencyTtlSeconds] = "60";
        _host = await FunctionHost.InitializeAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(ShapesAndRoutes))]
    public async Task SameKeyTwice_PublishedOnce_ReplayByteIdenticalAndMarked(EventShape shape, string route)
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        var key = Guid.NewGuid().ToString();

        var first = await _host.InvokeAsync(Keyed(shape, route, topic, "hello", key));
        var second = await _host.InvokeAsync(Keyed(shape, route, topic, "hello", key));

        Assert.Equal(200, first.Response.StatusCode);
        Assert.False(first.Response.Headers.ContainsKey(IdempotentReplayedHeader));
        Assert.Equal(200, second.Response.StatusCode);
        Assert.Equal("true", second.Response.Headers[IdempotentReplayedHeader]);
        Assert.Equal(first.Response.Body, second.Response.Body);
        Assert.Equal(first.Response.ContentType, second.Response.ContentType);
        Assert.Equal("hello", Assert.IsType<TopicEvent.TextItem>(Assert.Single(await subscription.ItemsAsync(1))).Value);
        Assert.True(await subscription.NoMoreItemsAsync());
        Assert.Equal(1, second.Record.GetProperty("IdempotentReplays").GetInt32());
        Assert.Equal(0, second.Record.GetProperty("Published").GetInt32());
    }

    [Fact]
    public async Task SameKeyOtherBody_422AndNothingPublished()
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        var key = Guid.NewGuid().ToString();

        await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "one", key));
        var other = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "two", key));
        var otherRoute = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics/{topicName}", topic, "one", key));

        other.Response.AssertProblem(422, ProblemTypes.IdempotencyKeyMismatch);
        otherRoute.Response.AssertProblem(422, ProblemTypes.IdempotencyKeyMismatch);
        Assert.Equal(1, other.Record.GetProperty("IdempotencyConflicts").GetInt32());
        Assert.Equal("one", Assert.IsType<TopicEvent.TextItem>(Assert.Single(await subscription.ItemsAsync(1))).Value);
        Assert.True(await subscription.NoMoreItemsAsync());
    }

    [Fact]
    public async Task ConcurrentRetries_OnePublish_OthersReplayOr409()
    {
        // Many concurrent copies of one keyed request, as a caller's retries racing the first: never two publishes.
        await Gen.Int[2, 12].SampleAsync(
            async copies =>
            {
                var topic = "idem-" + Guid.NewGuid().ToString("N");
                await using var subscription = await Subscription.StartAsync(_server, topic);
                var key = Guid.NewGuid().ToString();
                var answers = await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => _host.InvokeAsync(Keyed(EventShape.HttpApiV2, "/topics", topic, "once", key))));

                var fresh = answers.Count(a => a.Response.StatusCode == 200 && !a.Response.Headers.ContainsKey(IdempotentReplayedHeader));
                var replays = answers.Count(a => a.Response.StatusCode == 200 && a.Response.Headers.ContainsKey(IdempotentReplayedHeader));
                var inUse = answers.Where(a => a.Response.StatusCode == 409).ToList();
                Assert.Equal(1, fresh);
                Assert.Equal(copies, fresh + replays + inUse.Count);
                Assert.All(inUse, a => Assert.Equal("1", a.Response.Headers["Retry-After"]));
                Assert.Single(await subscription.ItemsAsync(1));
                Assert.True(await subscription.NoMoreItemsAsync());
            },
            iter: 12,
            threads: 1,
            print: copies => copies + " concurrent copies");
    }

    [Fact]
    public async Task KeyExpired_PublishesAgain()
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        var key = Guid.NewGuid().ToString();

        await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "again", key));
        _time.Advance(TimeSpan.FromSeconds(59));
        var within = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "again", key));
        _time.Advance(TimeSpan.FromSeconds(1));
        var after = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "again", key));

        Assert.Equal("true", within.Response.Headers[IdempotentReplayedHeader]);
        Assert.Equal(200, after.Response.StatusCode);
        Assert.False(after.Response.Headers.ContainsKey(IdempotentReplayedHeader));
        Assert.Equal(2, (await subscription.ItemsAsync(2)).Count);
        Assert.True(await subscription.NoMoreItemsAsync());
    }

    [Theory]
    [InlineData("unavailable")]
    [InlineData("deadline-exceeded")]
    [InlineData("not-found")]
    public async Task CacheFails_NothingPublished(string grpcStatus)
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        await using var host = await FunctionHost.OpenAsync(FunctionHost.LocalSettings(_server), FunctionHost.FaultHeaders(("return-error", grpcStatus), ("error-rpcs", "set-if")));
        host.Log.ExpectErrors("invocation");

        var answer = await host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "guarded", Guid.NewGuid().ToString()));

        if (grpcStatus == "not-found")
        {
            answer.Response.AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        }
        else
        {
            answer.Response.AssertProblem(503, ProblemTypes.Unavailable);
        }

        Assert.StartsWith("IDEMPOTENCY_", answer.Record.GetProperty("errorCode").GetString());
        Assert.True(await subscription.NoMoreItemsAsync());
    }

    [Fact]
    public async Task CacheServerDown_503AndNothingPublished()
    {
        var topic = "idem-down";
        await using var down = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName] });
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(down));
        await down.StopAsync();
        host.Log.ExpectErrors("invocation");

        var answer = await host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "guarded", Guid.NewGuid().ToString()));

        answer.Response.AssertProblem(503, ProblemTypes.Unavailable);
        Assert.Equal(0, answer.Record.GetProperty("Published").GetInt32());
    }

    [Fact]
    public async Task PublishCertainlyNotExecuted_KeyReleased_RetryPublishes()
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        var key = Guid.NewGuid().ToString();
        await using var host = await FunctionHost.OpenAsync(FunctionHost.LocalSettings(_server), FunctionHost.FaultHeaders(("return-error", "invalid-argument"), ("error-rpcs", "topic-publish"), ("error-count", "1")));

        var refused = await host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "retry me", key));
        var retry = await host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "retry me", key));

        refused.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        Assert.Equal(200, retry.Response.StatusCode);
        Assert.False(retry.Response.Headers.ContainsKey(IdempotentReplayedHeader));
        Assert.Single(await subscription.ItemsAsync(1));
    }

    [Fact]
    public async Task UnknownOutcome_StoredAndReplayedAsUnknown_NotPublishedAgain()
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        var key = Guid.NewGuid().ToString();
        await using var host = await FunctionHost.OpenAsync(FunctionHost.LocalSettings(_server), FunctionHost.FaultHeaders(("return-error", "deadline-exceeded"), ("error-rpcs", "topic-publish"), ("error-count", "1")));
        host.Log.ExpectErrors("invocation");

        var unknown = await host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "maybe", key));
        var retry = await host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", topic, "maybe", key));

        unknown.Response.AssertProblem(504, ProblemTypes.Timeout);
        retry.Response.AssertProblem(504, ProblemTypes.Timeout);
        Assert.Equal(unknown.Response.Body, retry.Response.Body);
        Assert.Equal("true", retry.Response.Headers[IdempotentReplayedHeader]);
        Assert.True(await subscription.NoMoreItemsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\there")]
    public async Task BadKey_400NamingTheHeader(string key)
    {
        var answer = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", "idem-bad", "x", key));

        var problem = answer.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        Assert.Contains(IdempotencyKeyHeader, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task KeyTooLong_400_MaxLengthAccepted()
    {
        var tooLong = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", "idem-long", "x", new string('k', MaxIdempotencyKeyLength + 1)));
        var longest = await _host.InvokeAsync(Keyed(EventShape.RestApiV1, "/topics", "idem-long", "x", new string('k', MaxIdempotencyKeyLength)));

        tooLong.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        Assert.Equal(200, longest.Response.StatusCode);
    }

    [Fact]
    public async Task Batch_KeyPerMessage_RetryReplaysKeyedAndPublishesUnkeyed()
    {
        var topic = "idem-" + Guid.NewGuid().ToString("N");
        await using var subscription = await Subscription.StartAsync(_server, topic);
        var (a, b) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var body = JsonSerializer.Serialize(new
        {
            messages = new object[]
            {
                new { topicName = topic, topicValue = "a", idempotencyKey = a },
                new { topicName = topic, topicValue = "b", idempotencyKey = b },
                new { topicName = topic, topicValue = "unkeyed" },
            },
        });

        var first = await _host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/batch", body));
        var retry = await _host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/batch", body));

        Assert.Equal(200, first.Response.StatusCode);
        Assert.Equal(200, retry.Response.StatusCode);
        var results = retry.Response.Json.GetProperty("results");
        Assert.True(results[0].GetProperty("replayed").GetBoolean());
        Assert.True(results[1].GetProperty("replayed").GetBoolean());
        Assert.Equal(1, results[1].GetProperty("bytes").GetInt32());
        Assert.False(results[2].TryGetProperty("replayed", out _));
        Assert.False(first.Response.Json.GetProperty("results")[0].TryGetProperty("replayed", out _));
        var values = (await subscription.ItemsAsync(4)).Select(i => ((TopicEvent.TextItem)i).Value).Order().ToArray();
        Assert.Equal(["a", "b", "unkeyed", "unkeyed"], values);
        Assert.True(await subscription.NoMoreItemsAsync());
    }

    [Fact]
    public async Task Batch_RepeatedKeyOrHeader_400()
    {
        var repeated = JsonSerializer.Serialize(new
        {
            messages = new object[]
            {
                new { topicName = "t", topicValue = "a", idempotencyKey = "same" },
                new { topicName = "t", topicValue = "b", idempotencyKey = "same" },
            },
        });
        var header = TestEvents.Build(EventShape.RestApiV1, "POST", "/batch", """{"messages":[{"topicName":"t","topicValue":"a"}]}""",
            new Dictionary<string, string> { ["Content-Type"] = "application/json", [IdempotencyKeyHeader] = "k" });
        var memberOnTopics = await _host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"t","topicValue":"a","idempotencyKey":"k"}"""));

        (await _host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/batch", repeated))).Response.AssertProblem(400, ProblemTypes.InvalidRequest, "messages[1].idempotencyKey");
        var headerProblem = (await _host.InvokeAsync(header)).Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        Assert.Contains(IdempotencyKeyHeader, headerProblem.GetProperty("detail").GetString());
        // On /topics the key is a header; the body's record has no such member.
        memberOnTopics.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
    }

    private static string Keyed(EventShape shape, string route, string topic, string value, string key) => route == "/topics"
        ? TestEvents.Build(shape, "POST", "/topics", JsonSerializer.Serialize(new { topicName = topic, topicValue = value }),
            new Dictionary<string, string> { ["Content-Type"] = "application/json", [IdempotencyKeyHeader] = key })
        : TestEvents.Build(shape, "POST", "/topics/" + Uri.EscapeDataString(topic), value,
            new Dictionary<string, string> { ["Content-Type"] = "text/plain", [IdempotencyKeyHeader] = key });
}
