using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Functions.Common.Http;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Contracts;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// Every Momento failure maps to a status a caller can act on, driven by the local server's fault-injection
/// headers (sent through <see cref="TopicClientOptions.ExtraHeaders"/>) or by real conditions.
/// </summary>
public sealed class MomentoFailureTests : IClassFixture<LocalServerFixture>
{
    private const string Value = "fault-test-value";
    private const string Body = """{"topicName":"faults","topicValue":"fault-test-value"}""";

    private readonly LocalServerFixture _fixture;

    public MomentoFailureTests(LocalServerFixture fixture) => _fixture = fixture;

    public static TheoryData<string, int, string, string, bool, EventShape> InjectedErrors()
    {
        var data = new TheoryData<string, int, string, string, bool, EventShape>();
        foreach (var shape in TestEvents.Shapes)
        {
            data.Add("invalid-argument", 400, ProblemTypes.InvalidRequest, "INVALID_ARGUMENT_ERROR", false, shape);
            data.Add("out-of-range", 400, ProblemTypes.InvalidRequest, "BAD_REQUEST_ERROR", false, shape);
            data.Add("resource-exhausted", 429, ProblemTypes.RateLimited, "LIMIT_EXCEEDED_ERROR", true, shape);
            data.Add("unavailable", 503, ProblemTypes.Unavailable, "SERVER_UNAVAILABLE", true, shape);
            data.Add("deadline-exceeded", 504, ProblemTypes.Timeout, "TIMEOUT_ERROR", false, shape);
            data.Add("cancelled", 504, ProblemTypes.Timeout, "CANCELLED_ERROR", false, shape);
            data.Add("not-found", 502, ProblemTypes.UpstreamMisconfigured, "NOT_FOUND_ERROR", false, shape);
            data.Add("unauthenticated", 502, ProblemTypes.UpstreamMisconfigured, "AUTHENTICATION_ERROR", false, shape);
            data.Add("permission-denied", 502, ProblemTypes.UpstreamMisconfigured, "PERMISSION_ERROR", false, shape);
            data.Add("internal", 502, ProblemTypes.UpstreamError, "INTERNAL_SERVER_ERROR", false, shape);
            data.Add("unknown", 502, ProblemTypes.UpstreamError, "UNKNOWN_SERVICE_ERROR", false, shape);
            data.Add("data-loss", 502, ProblemTypes.UpstreamError, "INTERNAL_SERVER_ERROR", false, shape);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InjectedErrors))]
    public async Task HandleAsync_MomentoReturnsError_MapsToActionableStatus(
        string grpcStatus, int status, string slug, string errorCode, bool retryAfter, EventShape shape)
    {
        await using var host = await FunctionHost.OpenAsync(
            FunctionHost.LocalSettings(_fixture.Server),
            FunctionHost.FaultHeaders(("return-error", grpcStatus), ("error-rpcs", "topic-publish")));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var invocation = await host.InvokeAsync(TestEvents.PostJson(shape, "/topics", Body));

        var response = invocation.Response;
        response.AssertProblem(status, slug);
        response.AssertNoLeaks(Value, "injected", "gRPC");
        if (retryAfter)
        {
            Assert.Equal("1", response.Headers["Retry-After"]);
        }
        else
        {
            Assert.False(response.Headers.ContainsKey("Retry-After"));
        }

        var record = invocation.Record;
        Assert.Equal(status >= 500 ? "ERROR" : "WARN", record.GetProperty("level").GetString());
        Assert.Equal(errorCode, record.GetProperty("errorCode").GetString());
        Assert.Contains("injected", record.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, record.GetProperty("Published").GetInt32());
        Assert.Equal(1, record.GetProperty("PublishFailures").GetInt32());
        Assert.Equal(errorCode, record.GetProperty("ErrorCode").GetString());
        Assert.Contains("FunctionName,ErrorCode", invocation.DimensionSets);
        Assert.Equal("faults", record.GetProperty("topic").GetString());
        Assert.DoesNotContain(Value, invocation.AllLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PublishSlowerThanTimeout_Answers504OutcomeUnknown()
    {
        var settings = FunctionHost.LocalSettings(_fixture.Server);
        settings[EnvironmentVariables.PublishTimeoutMs] = "300";
        var faults = FunctionHost.FaultHeaders(("delay-ms", "3000"), ("delay-rpcs", "topic-publish"));
        await using var host = await FunctionHost.OpenAsync(settings, faults);
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var clock = Stopwatch.StartNew();
        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));
        clock.Stop();

        var problem = invocation.Response.AssertProblem(504, ProblemTypes.Timeout);
        Assert.Contains("outcome is unknown", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("may have been published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("TIMEOUT_ERROR", invocation.Record.GetProperty("errorCode").GetString());
        // The publish went out with the 300 ms timeout as its deadline, and the answer came well before the 3 s delay ended.
        Assert.InRange(PublishDeadlineMs(faults), 1, 300);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(2500), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task HandleAsync_LittleTimeLeft_PublishDeadlineIsCappedByTheInvocationDeadline()
    {
        // The configured timeout (5 s) is longer than the invocation has left: the function must answer before Lambda stops it.
        var faults = FunctionHost.FaultHeaders(("delay-ms", "5000"), ("delay-rpcs", "topic-publish"));
        await using var host = await FunctionHost.OpenAsync(FunctionHost.LocalSettings(_fixture.Server), faults);
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR
        var remaining = TimeSpan.FromMilliseconds(1200);

        var clock = Stopwatch.StartNew();
        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", Body), remaining);
        clock.Stop();

        invocation.Response.AssertProblem(504, ProblemTypes.Timeout);
        Assert.True(clock.Elapsed < remaining, $"answered after {clock.Elapsed}, past the deadline");
        // The publish's deadline was the invocation's, less the margin kept to answer; not the configured 5 s.
        Assert.InRange(PublishDeadlineMs(faults), 1, (remaining - PublisherSettings.DeadlineMargin).TotalMilliseconds);
    }

    [Fact]
    public async Task HandleAsync_RetryableDispositionOnce_RetriesAndPublishesExactlyOnce()
    {
        var topic = "retry-" + Guid.NewGuid().ToString("N");
        await using var subscriber = await Subscription.StartAsync(_fixture.Server, topic);
        await using var host = await FunctionHost.OpenAsync(
            FunctionHost.LocalSettings(_fixture.Server),
            FunctionHost.FaultHeaders(("return-error", "unavailable"), ("error-rpcs", "topic-publish"), ("error-count", "1"), ("retry-disposition", "retryable")));

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", $$"""{"topicName":"{{topic}}","topicValue":"once"}"""));
        await using (var clean = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server)))
        {
            Assert.Equal(200, (await clean.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", $$"""{"topicName":"{{topic}}","topicValue":"marker"}"""))).Response.StatusCode);
        }

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.False(invocation.Record.TryGetProperty("errorCode", out _));
        var items = await subscriber.ItemsAsync(2);
        Assert.Equal(["once", "marker"], items.Select(i => ((TopicEvent.TextItem)i).Value));
    }

    [Fact]
    public async Task HandleAsync_RetryableDispositionTwice_RetriesOnlyOnceThenAnswers503()
    {
        await using var host = await FunctionHost.OpenAsync(
            FunctionHost.LocalSettings(_fixture.Server),
            FunctionHost.FaultHeaders(("return-error", "unavailable"), ("error-rpcs", "topic-publish"), ("error-count", "2"), ("retry-disposition", "retryable")));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var first = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));
        var second = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        var problem = first.Response.AssertProblem(503, ProblemTypes.Unavailable);
        Assert.Contains("was not published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", first.Response.Headers["Retry-After"]);
        Assert.Equal(200, second.Response.StatusCode); // the two injected errors were both spent by the first invocation
    }

    [Fact]
    public async Task HandleAsync_UnknownCache_Answers502AndLogsTheMomentoMessage()
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server, "no-such-cache"));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", Body));

        var problem = invocation.Response.AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        Assert.Contains("was not published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        invocation.Response.AssertNoLeaks(Value, "no-such-cache", "does not exist", "NotFound");
        var record = invocation.Record;
        Assert.Equal("ERROR", record.GetProperty("level").GetString());
        Assert.Equal("NOT_FOUND_ERROR", record.GetProperty("errorCode").GetString());
        Assert.Contains("A cache with the specified name does not exist", record.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ServerRejectsTheKey_WarmUpLoggedAndPublishAnswers502()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], RequiredApiKey = "the-right-key" }).DefaultTimeout();
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(server));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        var warmUp = await host.Log.WaitForMessageAsync(FunctionHost.WarmUpFailed).DefaultTimeout(); // logged when the Ping's answer arrives, maybe after the invocation
        Assert.Single(host.Log.Messages(FunctionHost.WarmUpFailed));
        Assert.Equal("WARN", warmUp.GetProperty("level").GetString());
        Assert.Equal("AUTHENTICATION_ERROR", warmUp.GetProperty("errorCode").GetString());
        invocation.Response.AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        invocation.Response.AssertNoLeaks(Value, "API key", "Invalid");
        Assert.Equal("AUTHENTICATION_ERROR", invocation.Record.GetProperty("errorCode").GetString());
        Assert.False(invocation.Record.TryGetProperty("keyRotated", out _));
    }

    [Fact]
    public async Task HandleAsync_ServerStoppedAfterInit_Answers503WithRetryAfter()
    {
        var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName] }).DefaultTimeout();
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(server));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR
        var before = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        await server.DisposeAsync();
        var first = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));
        var after = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        Assert.Equal(200, before.Response.StatusCode);

        // The first call may still meet the old connection while it is torn down (seen rarely, under load, as a 502);
        // from then on the server is simply gone.
        Assert.True(first.Response.StatusCode is 503 or 502, first.Record.ToString());
        first.Response.AssertNoLeaks(Value);
        Assert.True(after.Response.StatusCode == 503, after.Record.ToString());
        after.Response.AssertProblem(503, ProblemTypes.Unavailable);
        Assert.Equal("1", after.Response.Headers["Retry-After"]);
        after.Response.AssertNoLeaks(Value);
        Assert.Equal("CONNECTION_ERROR", after.Record.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task InitializeAsync_NothingListening_WarmUpFailureIsNotFatalAndPublishAnswers503()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings("127.0.0.1:" + port));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR
        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", Body));

        var warmUp = Assert.Single(host.Log.Messages(FunctionHost.WarmUpFailed));
        Assert.Equal("CONNECTION_ERROR", warmUp.GetProperty("errorCode").GetString());
        var problem = invocation.Response.AssertProblem(503, ProblemTypes.Unavailable);
        Assert.Contains("was not published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("CONNECTION_ERROR", invocation.Record.GetProperty("errorCode").GetString());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task HandleAsync_BatchWhereMomentoRejectsOne_Answers207WithEachOutcome(EventShape shape)
    {
        // The server's value limit is below the function's, so Momento itself rejects the long message.
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], MaxValueBytes = 16 }).DefaultTimeout();
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(server));
        var body = """
            {"messages":[
              {"topicName":"p1","topicValue":"short"},
              {"topicName":"p2","topicValue":"this value is longer than sixteen bytes"},
              {"topicName":"p3","topicValueBase64":"AAE="}
            ]}
            """;

        var invocation = await host.InvokeAsync(TestEvents.PostJson(shape, "/batch", body));

        Assert.Equal(207, invocation.Response.StatusCode);
        Assert.Equal("application/json", invocation.Response.ContentType);
        invocation.Response.AssertNoLeaks("this value is longer");
        var json = invocation.Response.Json;
        Assert.Equal(2, json.GetProperty("published").GetInt32());
        Assert.Equal(1, json.GetProperty("failed").GetInt32());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([200, 413, 200], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal(["p1", "p2", "p3"], results.Select(r => r.GetProperty("topic").GetString()));
        var problem = results[1].GetProperty("problem");
        Assert.Equal(ProblemTypes.DefaultBaseUri + ProblemTypes.PayloadTooLarge, problem.GetProperty("type").GetString());
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal([5, 2], new[] { results[0], results[2] }.Select(r => r.GetProperty("bytes").GetInt32()));

        var record = invocation.Record;
        Assert.Equal(2, record.GetProperty("Published").GetInt32());
        Assert.Equal(1, record.GetProperty("PublishFailures").GetInt32());
        Assert.Equal("LIMIT_EXCEEDED_ERROR", record.GetProperty("ErrorCode").GetString());
        Assert.Equal(7, record.GetProperty("bytes").GetInt64());
    }

    public static TheoryData<EventShape> Shapes() => [.. TestEvents.Shapes];

    /// <summary>How far away its deadline was when the server received this test's publish (its <c>grpc-timeout</c>).</summary>
    private long PublishDeadlineMs(TopicClientOptions faults)
    {
        var requestId = faults.ExtraHeaders!.GetValue("request-id");
        var call = Assert.Single(_fixture.Log.Events("CallStarted"), e => (string?)e["RequestId"] == requestId && ((string)e["Method"]!).EndsWith("/Publish", StringComparison.Ordinal));
        return Assert.IsType<long>(call["DeadlineMs"]);
    }
}
