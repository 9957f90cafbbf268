using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Common.Http;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Microsoft.Extensions.Time.Testing;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>What the table does not cover: cold starts, batch results, the log line in full, response shapes.</summary>
public sealed class HandlerBehaviourTests : IClassFixture<LocalServerFixture>
{
    private readonly LocalServerFixture _fixture;

    public HandlerBehaviourTests(LocalServerFixture fixture) => _fixture = fixture;

    public static TheoryData<EventShape> Shapes() => [.. TestEvents.Shapes];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task HandleAsync_FirstInvocationOnly_IsColdStart(EventShape shape)
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        var body = """{"topicName":"cold","topicValue":"v"}""";

        var first = await host.InvokeAsync(TestEvents.PostJson(shape, "/topics", body));
        var second = await host.InvokeAsync(TestEvents.PostJson(shape, "/topics", body));
        var third = await host.InvokeAsync(TestEvents.Build(shape, "GET", "/nowhere", null));

        Assert.True(first.Record.GetProperty("coldStart").GetBoolean());
        Assert.Equal(1, first.Record.GetProperty("ColdStart").GetInt32());
        Assert.False(second.Record.GetProperty("coldStart").GetBoolean());
        Assert.Equal(0, second.Record.GetProperty("ColdStart").GetInt32());
        Assert.False(third.Record.GetProperty("coldStart").GetBoolean());
        Assert.Contains("ColdStart", first.MetricNames);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task HandleAsync_Batch_AnswersOneResultPerMessageInOrder(EventShape shape)
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        var body = """
            {"messages":[
              {"topicName":"b-one","topicValue":"héllo"},
              {"topicName":"b-two","topicValueBase64":"AAEC"},
              {"topicName":"b-three","topicValue":""},
              {"topicName":"b-four","topicValue":"four"}
            ]}
            """;

        var invocation = await host.InvokeAsync(TestEvents.PostJson(shape, "/batch", body));

        Assert.Equal(200, invocation.Response.StatusCode);
        var json = invocation.Response.Json;
        Assert.Equal(4, json.GetProperty("published").GetInt32());
        Assert.Equal(0, json.GetProperty("failed").GetInt32());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["b-one", "b-two", "b-three", "b-four"], results.Select(r => r.GetProperty("topic").GetString()));
        Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        Assert.Equal([6, 3, 0, 4], results.Select(r => r.GetProperty("bytes").GetInt32()));
        Assert.All(results, r => Assert.False(r.TryGetProperty("problem", out _)));

        var record = invocation.Record;
        Assert.Equal("/batch", record.GetProperty("route").GetString());
        Assert.Equal(4, record.GetProperty("messages").GetInt32());
        Assert.Equal(13, record.GetProperty("bytes").GetInt64());
        Assert.Equal(4, record.GetProperty("Published").GetInt32());
        Assert.Equal(0, record.GetProperty("PublishFailures").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task HandleAsync_Success_LogsOneCompleteLineWithMetrics(EventShape shape)
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        const string TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        var eventJson = TestEvents.PostJson(shape, "/topics", """{"topicName":"logged","topicValue":"the-published-value"}""");
        var apiRequestId = JsonNode.Parse(eventJson)!["requestContext"]!["requestId"]!.GetValue<string>();

        var invocation = await host.InvokeAsync(eventJson, traceId: TraceId);

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Single(invocation.LogLines);
        var record = invocation.Record;
        Assert.Equal("INFO", record.GetProperty("level").GetString());
        Assert.Equal(invocation.RequestId, record.GetProperty("requestId").GetString());
        Assert.Equal(apiRequestId, record.GetProperty("apiRequestId").GetString());
        Assert.Equal(TraceId, record.GetProperty("traceId").GetString());
        Assert.Equal("/topics", record.GetProperty("route").GetString());
        Assert.Equal("logged", record.GetProperty("topic").GetString());
        Assert.Equal(1, record.GetProperty("messages").GetInt32());
        Assert.Equal(19, record.GetProperty("bytes").GetInt64());
        Assert.Equal(200, record.GetProperty("status").GetInt32());
        Assert.True(record.GetProperty("durationMs").GetDouble() >= record.GetProperty("publishMs").GetDouble());
        Assert.True(record.GetProperty("publishMs").GetDouble() > 0);
        Assert.False(record.TryGetProperty("errorCode", out _));
        Assert.False(record.TryGetProperty("keyRotated", out _));
        Assert.True(record.TryGetProperty("timestamp", out _));
        Assert.True(record.GetProperty("gcCommittedBytes").GetInt64() > 0);
        Assert.True(record.GetProperty("gcHeapBytes").GetInt64() >= 0);

        var aws = record.GetProperty("_aws");
        Assert.True(aws.GetProperty("Timestamp").GetInt64() > 1_600_000_000_000);
        Assert.All(aws.GetProperty("CloudWatchMetrics").EnumerateArray(), g => Assert.Equal("MomentoTopicsPublisher", g.GetProperty("Namespace").GetString()));
        Assert.Equal(["Published", "PublishFailures", "ColdStart", "PublishLatency"], invocation.MetricNames);
        Assert.DoesNotContain("FunctionName,ErrorCode", invocation.DimensionSets);
        Assert.Equal(1, record.GetProperty("Published").GetInt32());
        Assert.Equal(0, record.GetProperty("PublishFailures").GetInt32());
        Assert.Equal(record.GetProperty("publishMs").GetDouble(), record.GetProperty("PublishLatency").GetDouble());
        Assert.False(record.TryGetProperty("ErrorCode", out _));
        Assert.DoesNotContain("the-published-value", invocation.AllLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_InjectedClock_TimesAndStampsTheRecord()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var log = new LineWriter();
        var settings = PublisherSettings.FromEnvironment(FunctionHost.Reader(FunctionHost.LocalSettings(_fixture.Server)));
        var connection = await MomentoConnection.OpenAsync(settings.Momento, FunctionHost.Reader(FunctionHost.LocalSettings(_fixture.Server)), new FunctionLog(log, clock)).DefaultTimeout();
        await using var function = new PublisherFunction(settings, connection, new FunctionLog(log, clock), clock);
        var eventJson = TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"clocked","topicValue":"v"}""");

        await using var output = await function.HandleAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(eventJson)), new TestLambdaContext(TimeSpan.FromSeconds(30))).DefaultTimeout();

        // The fake clock never moves: durations are zero and the metrics carry its time, not the machine's.
        var record = Assert.Single(log.Messages("invocation"));
        Assert.Equal(200, record.GetProperty("status").GetInt32());
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), record.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal(0, record.GetProperty("durationMs").GetDouble());
        Assert.Equal(0, record.GetProperty("publishMs").GetDouble());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task HandleAsync_ClientError_LogsWarnWithoutLatency(EventShape shape)
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

        var invocation = await host.InvokeAsync(TestEvents.PostJson(shape, "/topics", """{"topicName":"t","topicValue":"v","extra":"x"}"""));

        var problem = invocation.Response.AssertProblem(400, ProblemTypes.InvalidRequest, "extra");
        var apiRequestId = invocation.Record.GetProperty("apiRequestId").GetString();
        Assert.Equal(apiRequestId, problem.GetProperty("requestId").GetString());
        Assert.Equal("WARN", invocation.Record.GetProperty("level").GetString());
        Assert.Equal(["Published", "PublishFailures", "ColdStart"], invocation.MetricNames);
        Assert.False(invocation.Record.TryGetProperty("publishMs", out _));
    }

    [Fact]
    public async Task HandleAsync_RestEvent_AnswersInTheRestResponseShape()
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"shape","topicValue":"v"}"""));

        // Exactly the REST format's members: multiValueHeaders is its own, cookies is the HTTP API's.
        var root = JsonNode.Parse(invocation.Response.Raw)!.AsObject();
        Assert.Equal(["body", "headers", "isBase64Encoded", "multiValueHeaders", "statusCode"], root.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Object, root["multiValueHeaders"]!.GetValueKind());
        Assert.Equal(200, root["statusCode"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.String, root["body"]!.GetValueKind());
        Assert.False(root["isBase64Encoded"]!.GetValue<bool>());
        Assert.Equal("application/json", root["headers"]!["Content-Type"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandleAsync_HttpApiEvent_AnswersInTheHttpApiResponseShape()
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", """{"topicName":"shape","topicValue":"v"}"""));

        // Exactly the 2.0 format's members: cookies is its own, multiValueHeaders is the REST format's.
        var root = JsonNode.Parse(invocation.Response.Raw)!.AsObject();
        Assert.Equal(["body", "cookies", "headers", "isBase64Encoded", "statusCode"], root.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Array, root["cookies"]!.GetValueKind());
        Assert.Equal(200, root["statusCode"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.String, root["body"]!.GetValueKind());
        Assert.Equal("application/json", root["headers"]!["Content-Type"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandleAsync_HttpApiNamedStage_RoutesBelowTheStage()
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        var headers = new Dictionary<string, string> { ["content-type"] = "application/json" };

        var topics = await host.InvokeAsync(TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics", """{"topicName":"staged","topicValue":"v"}""", headers, stage: "prod"));
        var raw = await host.InvokeAsync(TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics/staged", "v", new Dictionary<string, string> { ["content-type"] = "text/plain" }, stage: "prod"));

        Assert.Equal(200, topics.Response.StatusCode);
        Assert.Equal(200, raw.Response.StatusCode);
        Assert.Equal("staged", raw.Response.Json.GetProperty("topic").GetString());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    public async Task HandleAsync_PayloadNotAnEvent_Answers400InsteadOfFailing(string payload)
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

        var invocation = await host.InvokeAsync(payload);

        invocation.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        invocation.Response.AssertNoLeaks();
        Assert.Equal(400, invocation.Record.GetProperty("status").GetInt32());
        Assert.Equal("unknown", invocation.Record.GetProperty("route").GetString());
    }

    [Theory]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("{}")]
    [InlineData("""{"Records":[{"eventSource":"aws:sqs","body":"hi","messageId":"1"}]}""")]
    [InlineData("""{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}""")]
    public async Task HandleAsync_PayloadNotAnApiGatewayEvent_Answers400SayingSo(string payload)
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

        var invocation = await host.InvokeAsync(payload);

        var problem = invocation.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        Assert.StartsWith("This is not an API Gateway event", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("unknown", invocation.Record.GetProperty("route").GetString());
    }

    [Fact]
    public async Task HandleAsync_NoTimeLeftBeforeTheDeadline_Answers504WithoutPublishing()
    {
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var invocation = await host.InvokeAsync(
            TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"late","topicValue":"v"}"""),
            remaining: PublisherSettings.DeadlineMargin / 2);

        var problem = invocation.Response.AssertProblem(504, ProblemTypes.Timeout);
        Assert.Contains("was not published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("NO_TIME_LEFT", invocation.Record.GetProperty("errorCode").GetString());
        Assert.Equal(1, invocation.Record.GetProperty("PublishFailures").GetInt32());
    }
}
