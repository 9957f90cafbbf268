using System.Text.Json;
using Functions.Common.Http;
using Lambda.Runtime.Emulator;
using Momento.Topics.LocalServer;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>The real bootstrap (JIT build, or the AOT binary in .ci/run) under a local Runtime API.</summary>
[Trait("Category", "Bootstrap")]
public sealed class BootstrapProcessTests : IClassFixture<LocalServerFixture>
{
    /// <summary>Process start plus JIT of the init path; generous for a busy machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The GC heap limit of the near-limit test (32 MiB; the runtime leaves a lower limit than the function's memory as
    /// it is): a quarter of a 128 MB function, where the bodies' events alone are up to 6 MB each.
    /// </summary>
    private const string NearLimitHeapLimit = "0x2000000";

    private readonly LocalServerFixture _fixture;

    public BootstrapProcessTests(LocalServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Bootstrap_SeveralInvocations_AnswersEachAndLogsOneLineEach()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = Start(emulator, FunctionHost.LocalSettings(_fixture.Server));
        await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);
        const string TraceA = "Root=1-65f2a1b0-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1";
        const string TraceB = "Root=1-65f2a1b0-fedcba9876543210fedcba98;Parent=2222222222222222;Sampled=0";

        var rest = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"proc","topicValue":"process-value"}"""), TimeSpan.FromSeconds(10), TraceA).DefaultTimeout();
        var http = await emulator.InvokeAsync(
            TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics/proc", "AAEC", new Dictionary<string, string> { ["content-type"] = "application/octet-stream" }, base64: true),
            TimeSpan.FromSeconds(10),
            TraceB).DefaultTimeout();
        var invalid = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", """{"topicName":"proc"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        var notAnEvent = await emulator.InvokeAsync("not json", TimeSpan.FromSeconds(10)).DefaultTimeout();

        // The strict contract's explanations come from source-generated metadata: check them in the AOT build too.
        var unknown = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/batch", """{"messages":[{"topicName":"p","topicValue":"v","extra":1}]}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        var lone = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"p","topicValue":"\ud800"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();

        // The Runtime API going away ends the process; then its output is complete.
        await emulator.DisposeAsync();
        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        var results = new[] { rest, http, invalid, notAnEvent, unknown, lone };
        Assert.All(results, r => Assert.False(r.IsError || r.TimedOut, $"{r.ErrorType}: {r.ErrorMessage}"));
        var restResponse = ApiResult.Parse(rest.ResponseBody!);
        Assert.Equal(200, restResponse.StatusCode);
        Assert.Equal(13, restResponse.Json.GetProperty("bytes").GetInt32());
        var httpResponse = ApiResult.Parse(http.ResponseBody!);
        Assert.Equal(200, httpResponse.StatusCode);
        Assert.Equal(3, httpResponse.Json.GetProperty("bytes").GetInt32());
        Assert.False(JsonDocument.Parse(http.ResponseBody!).RootElement.TryGetProperty("multiValueHeaders", out _));
        ApiResult.Parse(invalid.ResponseBody!).AssertProblem(400, ProblemTypes.InvalidRequest, "topicValue");
        ApiResult.Parse(notAnEvent.ResponseBody!).AssertProblem(400, ProblemTypes.InvalidRequest);
        var unknownProblem = ApiResult.Parse(unknown.ResponseBody!).AssertProblem(400, ProblemTypes.InvalidRequest, "messages[0].extra");
        Assert.Equal("Unknown field 'extra'; the allowed fields are topicName, topicValue, topicValueBase64 and idempotencyKey.", unknownProblem.GetProperty("detail").GetString());
        ApiResult.Parse(lone.ResponseBody!).AssertProblem(400, ProblemTypes.InvalidRequest, "topicValue");
        Assert.NotEqual(0, exitCode);

        var stdout = process.StdoutLines;
        Assert.All(stdout, line => JsonDocument.Parse(line));
        var records = stdout.Select(line => JsonDocument.Parse(line).RootElement).Where(e => e.GetProperty("message").GetString() == "invocation").ToList();
        Assert.Equal(results.Select(r => r.RequestId), records.Select(r => r.GetProperty("requestId").GetString()));
        Assert.Equal(TraceA, records[0].GetProperty("traceId").GetString());
        Assert.Equal(TraceB, records[1].GetProperty("traceId").GetString());
        Assert.False(records[2].TryGetProperty("traceId", out _));
        Assert.Equal([true, false, false, false, false, false], records.Select(r => r.GetProperty("coldStart").GetBoolean()));
        Assert.Equal([200, 200, 400, 400, 400, 400], records.Select(r => r.GetProperty("status").GetInt32()));
        Assert.All(records, r => Assert.True(r.TryGetProperty("_aws", out _)));
        Assert.Single(stdout, line => line.Contains("Momento connection warmed", StringComparison.Ordinal));
        Assert.Single(stdout, line => line.Contains("The runtime stopped", StringComparison.Ordinal)); // the Runtime API went away
        Assert.Equal(records.Count + 2, stdout.Count);
        Assert.DoesNotContain(stdout, line => line.Contains("process-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_MissingConfiguration_PostsInitErrorAndExits()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = Start(emulator, new(FunctionHost.LocalSettings(_fixture.Server)) { ["MOMENTO_CACHE_NAME"] = null });

        var initError = await emulator.InitErrorAsync.WaitAsync(StartTimeout);
        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.Equal("ConfigurationException", initError.ErrorType);
        Assert.Contains("MOMENTO_CACHE_NAME", initError.ErrorMessage, StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
        Assert.Equal(0, emulator.NextRequestCount);
    }

    [Fact]
    public async Task Bootstrap_MomentoHangs_Answers504BeforeTheDeadline()
    {
        await using var blackHole = new BlackHole();
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = Start(emulator, FunctionHost.LocalSettings(blackHole.HostPort));
        // The black hole accepts TCP, so on plaintext the connection is up and init serves without the Ping's answer;
        // that Ping fails at the connect timeout, logged then. The hung publish below is sent after it, so it measures the
        // publish's own deadline alone.
        await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);
        await WaitForLineAsync(process, "warm-up failed");
        var deadline = TimeSpan.FromMilliseconds(1500);

        // Requests that end before any publish JIT-compile the event and response paths, as the AOT build needs no JIT at all.
        var warm = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"hang"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        Assert.Equal(400, ApiResult.Parse(warm.ResponseBody!).StatusCode);

        // So does a first hang: its cancellation, first exceptions and 504 path are JIT work the 250 ms margin does not
        // cover on a loaded machine (at a load of 36 on two cores, a cold one answered about 200 ms after the publish's
        // own deadline). Its timing is not the point; the function is idle again once it polls.
        await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"hang","topicValue":"w"}"""), deadline).DefaultTimeout();
        await emulator.WhenPollingAsync(1).DefaultTimeout();

        var hung = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"hang","topicValue":"v"}"""), deadline).DefaultTimeout();
        var next = await emulator.InvokeAsync(TestEvents.Build(EventShape.RestApiV1, "GET", "/", null), TimeSpan.FromSeconds(10)).DefaultTimeout();

        var output = string.Join('\n', process.StdoutLines.Concat(process.StderrLines));
        Assert.False(hung.TimedOut, $"Lambda would have killed the function (after {hung.Elapsed}); output:\n{output}");
        Assert.False(hung.IsError, hung.ErrorMessage);
        Assert.True(hung.Elapsed < deadline, $"answered after {hung.Elapsed}");
        Assert.True(ApiResult.Parse(hung.ResponseBody!).StatusCode == 504, $"answered {hung.ResponseBody} after {hung.Elapsed}; output:\n{output}");
        var problem = ApiResult.Parse(hung.ResponseBody!).AssertProblem(504, ProblemTypes.Timeout);
        Assert.Contains("may have been published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, ApiResult.Parse(next.ResponseBody!).StatusCode);
        Assert.False(process.HasExited);
        Assert.True(blackHole.Accepted >= 1);
        Assert.Contains(process.StdoutLines, line => line.Contains("Momento connection warmed", StringComparison.Ordinal));
    }

    private static async Task WaitForLineAsync(BootstrapProcess process, string text)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (!process.StdoutLines.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Bootstrap_JsonLogFormat_RecordsStayTopLevelJsonWithMetrics()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = Start(emulator, new(FunctionHost.LocalSettings(_fixture.Server)) { ["AWS_LAMBDA_LOG_FORMAT"] = "JSON", ["AWS_LAMBDA_LOG_LEVEL"] = "INFO" });
        await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);

        var published = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"json-logs","topicValue":"v"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        var refused = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"json-logs"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        await emulator.DisposeAsync();
        await process.WaitForExitAsync(TaskTimeouts.Default);

        // Every line of the function's output is one JSON object, and each invocation record is an EMF record itself,
        // not a string inside the runtime's own record (which would not be a metric).
        var lines = process.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, line.ValueKind));
        var records = lines.Where(line => line.TryGetProperty("message", out var m) && m.GetString() == "invocation").ToList();
        Assert.Equal([published.RequestId, refused.RequestId], records.Select(r => r.GetProperty("requestId").GetString()));
        Assert.All(records, r => Assert.Equal(JsonValueKind.Array, r.GetProperty("_aws").GetProperty("CloudWatchMetrics").ValueKind));
        Assert.Equal(1, records[0].GetProperty("Published").GetInt32());
    }

    [Fact]
    public async Task Bootstrap_LogLevelWarn_DropsInfoLinesButKeepsInvocationRecords()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = Start(emulator, new(FunctionHost.LocalSettings(_fixture.Server)) { ["AWS_LAMBDA_LOG_FORMAT"] = "JSON", ["AWS_LAMBDA_LOG_LEVEL"] = "WARN" });
        await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);

        var published = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"json-logs","topicValue":"v"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        await emulator.DisposeAsync();
        await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.DoesNotContain(process.StdoutLines, line => line.Contains("Momento connection warmed", StringComparison.Ordinal));
        Assert.Single(process.StdoutLines, line => line.Contains(published.RequestId, StringComparison.Ordinal) && line.Contains("\"_aws\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_TopicsServerRestarted_DownInvocationsAnswer503QuicklyAndTheNextOnePublishes()
    {
        var serverLog = new ServerLog();
        var options = new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], LoggerProvider = serverLog };
        var server = await LocalTopicsServer.StartAsync(options).DefaultTimeout();
        try
        {
            await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
            await using var process = Start(emulator, FunctionHost.LocalSettings(server));
            await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);
            var deadline = TimeSpan.FromSeconds(10);
            static string Publish(string value) => TestEvents.PostJson(EventShape.RestApiV1, "/topics", $$"""{"topicName":"restart","topicValue":"{{value}}"}""");

            var before = await emulator.InvokeAsync(Publish("before"), deadline).DefaultTimeout();
            await server.DisposeAsync();
            var down = new List<InvocationResult>();
            for (var i = 0; i < 3; i++)
            {
                down.Add(await emulator.InvokeAsync(Publish("down"), deadline).DefaultTimeout());
            }

            server = await LocalTopicsServer.StartAsync(options with { Port = server.Port }).DefaultTimeout();
            var after = await emulator.InvokeAsync(Publish("after"), deadline).DefaultTimeout();

            var output = string.Join('\n', process.StdoutLines.Concat(process.StderrLines));
            Assert.Equal(200, ApiResult.Parse(before.ResponseBody!).StatusCode);
            Assert.All(down, r =>
            {
                Assert.False(r.IsError || r.TimedOut, $"{r.ErrorType}: {r.ErrorMessage}\n{output}");
                ApiResult.Parse(r.ResponseBody!).AssertProblem(503, ProblemTypes.Unavailable);
                // Refused connections fail at once: nothing waits for the deadline (10 s) or for a reconnect timer.
                Assert.True(r.Elapsed < TimeSpan.FromSeconds(2), $"a down invocation answered after {r.Elapsed}");
            });
            // The client connects on demand: the very first invocation after the server is back publishes.
            Assert.False(after.IsError || after.TimedOut, $"{after.ErrorType}: {after.ErrorMessage}\n{output}");
            Assert.Equal(200, ApiResult.Parse(after.ResponseBody!).StatusCode);
        }
        finally
        {
            await server.DisposeAsync();
        }

        serverLog.AssertNoUnexpectedErrors();
    }

    /// <summary>
    /// The bodies near the limits that are read, turned into an event and parsed before they are refused, each a
    /// multi-megabyte event, to a process whose GC heap is capped far below what copies of them would take: each is
    /// answered with its 413 problem (none fails with out-of-memory), and the function publishes afterwards.
    /// </summary>
    [Fact]
    public async Task Bootstrap_NearLimitBodiesUnderASmallHeapLimit_AnswersEachWithItsProblem()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = Start(emulator, new(FunctionHost.LocalSettings(_fixture.Server))
        {
            ["DOTNET_GCHeapHardLimit"] = NearLimitHeapLimit,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128",
        });
        await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);
        var octets = new Dictionary<string, string> { ["content-type"] = "application/octet-stream" };
        var text = new Dictionary<string, string> { ["content-type"] = "text/plain" };
        var cases = new (string Name, string Event, string? Field, string Detail)[]
        {
            ("5 MB JSON", TestEvents.PostJson(EventShape.RestApiV1, "/topics", $$"""{"topicName":"near","topicValue":"{{new string('a', 5_000_000)}}"}"""), null, $"larger than {MaxBodyBytes} bytes"),
            ("2 MiB bytes", TestEvents.Build(EventShape.RestApiV1, "POST", "/topics/near", Convert.ToBase64String(new byte[2 * 1024 * 1024]), octets, base64: true), null, $"larger than {MaxBodyBytes} bytes"),
            ("1 MiB-1 control characters (6 MB escaped)", TestEvents.Build(EventShape.RestApiV1, "POST", "/topics/near", new string('\u0001', MaxBodyBytes - 1), text), "body", "1048575 bytes"),
            ("1 MiB-1 bytes", TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics/near", Convert.ToBase64String(new byte[MaxBodyBytes - 1]), octets, base64: true), "body", "1048575 bytes"),
        };

        foreach (var (name, eventJson, field, detail) in cases)
        {
            // The invocation's own deadline bounds the wait, so a hang or a dead process fails with its output, not a bare timeout.
            var result = await emulator.InvokeAsync(eventJson, TimeSpan.FromSeconds(20));

            var output = string.Join('\n', process.StdoutLines.TakeLast(3).Concat(process.StderrLines.TakeLast(10)));
            Assert.False(result.IsError || result.TimedOut, $"{name}: {result.ErrorType}: {result.ErrorMessage} (exited: {process.HasExited})\n{output}");
            var problem = ApiResult.Parse(result.ResponseBody!).AssertProblem(413, ProblemTypes.PayloadTooLarge, field);
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var published = await emulator.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"near","topicValue":"still here"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        Assert.Equal(200, ApiResult.Parse(published.ResponseBody!).StatusCode);
        Assert.False(process.HasExited);
    }

    private static BootstrapProcess Start(RuntimeApiEmulator emulator, Dictionary<string, string?> environment)
    {
        // Only the given key source: nothing inherited from the machine running the tests.
        environment.TryAdd("MOMENTO_API_KEY", null);
        environment.TryAdd("MOMENTO_API_KEY_SECRET_ID", null);
        environment.TryAdd("MOMENTO_ENDPOINT", null);
        environment.TryAdd("AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE", null);
        return FunctionBootstrap.Publisher(typeof(BootstrapProcessTests).Assembly).Start(emulator, environment);
    }
}
