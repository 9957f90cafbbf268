using System.Globalization;
using System.Text.Json;
using Lambda.Runtime.Emulator;

namespace Lambda.Runtime.Tests;

/// <summary>
/// Many invocations per execution environment (Lambda Managed Instances): AWS_LAMBDA_MAX_CONCURRENCY and its overrides
/// as Amazon.Lambda.RuntimeSupport 2.1 reads them, and each invocation's context kept apart. Same tests on both builds.
/// </summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private RuntimeApiEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private BootstrapProcess Start(RuntimeApiEmulator emulator, Dictionary<string, string?> environment)
    {
        environment.TryAdd("AWS_LAMBDA_LOG_FORMAT", "JSON");
        return FunctionBootstrap.TestFunction(typeof(ConcurrencyTests).Assembly).Start(emulator, environment);
    }

    private static JsonElement Json(InvocationResult result)
    {
        Assert.False(result.IsError || result.TimedOut, result.ErrorMessage);
        return JsonDocument.Parse(result.ResponseBody!).RootElement;
    }

    [Theory]
    [InlineData("3", null, 3)]
    [InlineData("8", "2", 2)]
    [InlineData("1", null, 1)]
    public async Task MaxConcurrency_Set_PollsFromThatManyTasks(string maxConcurrency, string? processingTasks, int pollers)
    {
        await using var process = Start(_emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = maxConcurrency, ["AWS_LAMBDA_DOTNET_PROCESSING_TASKS"] = processingTasks });

        await _emulator.WhenPollingAsync(pollers).DefaultTimeout();
        var served = Json(await _emulator.InvokeAsync("{}").DefaultTimeout());
        await _emulator.WhenPollingAsync(pollers).DefaultTimeout();

        // Each task polls again as soon as it has handed its event over: one /next per task, plus the one that served.
        Assert.Equal(pollers + 1, _emulator.NextRequestCount);
        Assert.Equal(pollers, _emulator.WaitingPollers);
        Assert.Equal("{}", served.GetProperty("event").GetString());
    }

    [Fact]
    public async Task MaxConcurrency_NotANumber_IsStillMultiConcurrentWithTheDefaultTaskCountAndThreadPool()
    {
        await using var process = Start(_emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = "many" });

        var context = Json(await _emulator.InvokeAsync("{}").DefaultTimeout());
        var tasks = Math.Max(2, context.GetProperty("processorCount").GetInt32());
        await _emulator.WhenPollingAsync(tasks).DefaultTimeout();

        Assert.Equal(tasks + 1, _emulator.NextRequestCount);
        // Only a maximum that parses raises the thread pool's minimum.
        Assert.Equal(context.GetProperty("initialMinWorkerThreads").GetInt32(), context.GetProperty("minWorkerThreads").GetInt32());
        // Multi-concurrency leaves the process-wide trace variable alone even for one invocation.
        Assert.True(string.IsNullOrEmpty(context.GetProperty("traceEnvironment").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("x")]
    public async Task MaxConcurrency_Valid_RaisesTheThreadPoolMinimumToTwicePerProcessor(string? minThreads)
    {
        await using var process = Start(_emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = "4", ["AWS_LAMBDA_DOTNET_MIN_THREADS"] = minThreads });

        var context = Json(await _emulator.InvokeAsync("{}").DefaultTimeout());

        var expected = Math.Max(context.GetProperty("initialMinWorkerThreads").GetInt32(), 2 * context.GetProperty("processorCount").GetInt32());
        Assert.Equal(expected, context.GetProperty("minWorkerThreads").GetInt32());
    }

    [Fact]
    public async Task MinThreads_Set_IsTheThreadPoolMinimum()
    {
        await using var process = Start(_emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = "4", ["AWS_LAMBDA_DOTNET_MIN_THREADS"] = "37" });

        var context = Json(await _emulator.InvokeAsync("{}").DefaultTimeout());

        Assert.Equal(37, context.GetProperty("minWorkerThreads").GetInt32());
    }

    [Fact]
    public async Task MaxConcurrency_Unset_OneInvocationAtATimeFromOneTask()
    {
        await using var process = Start(_emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = null, ["AWS_LAMBDA_DOTNET_PROCESSING_TASKS"] = "4" });

        var context = Json(await _emulator.InvokeAsync("{}", traceId: "Root=1-00000000-000000000000000000000001").DefaultTimeout());
        await _emulator.WhenPollingAsync(1).DefaultTimeout();

        // The override counts only under multi-concurrency; the trace variable is set as for any on-demand function.
        Assert.Equal(2, _emulator.NextRequestCount);
        Assert.Equal("Root=1-00000000-000000000000000000000001", context.GetProperty("traceEnvironment").GetString());
        Assert.Equal(context.GetProperty("initialMinWorkerThreads").GetInt32(), context.GetProperty("minWorkerThreads").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    public async Task ProcessingTasks_NotAPositiveInteger_FailsAfterInitWithoutPolling(string processingTasks)
    {
        await using var process = Start(_emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = "4", ["AWS_LAMBDA_DOTNET_PROCESSING_TASKS"] = processingTasks });

        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.NotEqual(0, exitCode);
        Assert.Equal(0, _emulator.NextRequestCount);
        Assert.False(_emulator.InitErrorAsync.IsCompleted);
        Assert.Contains(process.StdoutLines, line => line.Contains("init started", StringComparison.Ordinal));
        Assert.Contains(process.StderrLines, line => line.Contains("AWS_LAMBDA_DOTNET_PROCESSING_TASKS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentInvocations_EachSeesItsOwnRequestIdTraceIdAndLogRecords()
    {
        const int Concurrency = 8;
        await using var emulator = await RuntimeApiEmulator.StartAsync(Concurrency).DefaultTimeout();
        await using var process = Start(emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = Concurrency.ToString(CultureInfo.InvariantCulture) });
        await emulator.WhenPollingAsync(Concurrency).DefaultTimeout();
        var traces = Enumerable.Range(1, Concurrency).Select(i => $"Root=1-5759e988-{i:x24};Parent={i:x16};Sampled=1").ToList();

        var results = await Task.WhenAll(traces.Select(trace => emulator.InvokeAsync($$"""{"barrier":{{Concurrency}}}""", traceId: trace))).DefaultTimeout();

        Assert.Equal(Concurrency, emulator.PeakConcurrency);
        for (var i = 0; i < Concurrency; i++)
        {
            var context = Json(results[i]);
            Assert.True(context.GetProperty("barrierReached").GetBoolean(), "the invocations did not run at the same time");
            Assert.Equal(results[i].RequestId, context.GetProperty("awsRequestId").GetString());
            Assert.Equal(traces[i], context.GetProperty("traceId").GetString());
            Assert.Equal(traces[i], context.GetProperty("traceProvider").GetString());
            Assert.True(string.IsNullOrEmpty(context.GetProperty("traceEnvironment").GetString()));
        }

        // Each line written during an invocation, before and after its awaits, carries that invocation's ids.
        await WhenAsync(() => Records(process).Count(r => r.Message.StartsWith("barrier left by ", StringComparison.Ordinal)) == Concurrency);
        var records = Records(process).Where(r => r.Message.StartsWith("barrier ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * Concurrency, records.Count);
        Assert.All(records, r => Assert.EndsWith(" " + r.RequestId, r.Message, StringComparison.Ordinal));
        var traceOf = results.Select((r, i) => (r.RequestId, Trace: traces[i])).ToDictionary(x => x.RequestId, x => x.Trace);
        Assert.All(records, r => Assert.Equal(traceOf[r.RequestId!], r.TraceId));
    }

    [Fact]
    public async Task ConcurrentInvocations_OneThrows_ItsErrorIsPostedAndTheOthersAnswer()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync(4).DefaultTimeout();
        await using var process = Start(emulator, new() { ["AWS_LAMBDA_MAX_CONCURRENCY"] = "4" });
        await emulator.WhenPollingAsync(4).DefaultTimeout();

        var results = await Task.WhenAll(
            emulator.InvokeAsync("""{"barrier":3}"""),
            emulator.InvokeAsync("\"throw\""),
            emulator.InvokeAsync("""{"barrier":3}"""),
            emulator.InvokeAsync("""{"barrier":3}""")).DefaultTimeout();

        Assert.True(results[1].IsError);
        Assert.Equal("ArgumentException", results[1].FunctionErrorTypeHeader);
        Assert.All([results[0], results[2], results[3]], r => Assert.True(Json(r).GetProperty("barrierReached").GetBoolean()));
        Assert.False(process.HasExited);
    }

    private static List<(string Message, string? RequestId, string? TraceId)> Records(BootstrapProcess process) =>
        process.StdoutLines
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => (r.GetProperty("message").GetString()!, Optional(r, "requestId"), Optional(r, "traceId")))
            .ToList();

    private static string? Optional(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static async Task WhenAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
