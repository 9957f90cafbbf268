using System.Text.Json;
using Lambda.Runtime.Emulator;

namespace Lambda.Runtime.Tests;

/// <summary>
/// What Amazon.Lambda.RuntimeSupport documents, checked on a real process (tests/Lambda.Runtime.TestFunction) under
/// the Runtime API emulator, so the same assertions hold for the subset and for the official package.
/// </summary>
public sealed class RuntimeBehaviourTests : IAsyncLifetime
{
    private RuntimeApiEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private BootstrapProcess Start(string? mode = null, Dictionary<string, string?>? environment = null)
    {
        environment ??= [];
        environment["TEST_FUNCTION_MODE"] = mode;
        return FunctionBootstrap.TestFunction(typeof(RuntimeBehaviourTests).Assembly).Start(_emulator, environment);
    }

    private static JsonElement Json(InvocationResult result)
    {
        Assert.False(result.IsError, result.ErrorMessage);
        return JsonDocument.Parse(result.ResponseBody!).RootElement;
    }

    [Fact]
    public async Task Init_InitializerThrows_InitErrorPostedAndProcessFails()
    {
        await using var process = Start("init-throws");

        var initError = await _emulator.InitErrorAsync.DefaultTimeout();
        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.Equal("InvalidOperationException", initError.ErrorType);
        Assert.Equal("the init failed on purpose", initError.ErrorMessage);
        Assert.NotEqual(0, exitCode);
        Assert.Equal(0, _emulator.NextRequestCount);
    }

    [Fact]
    public async Task Init_InitializerReturnsFalse_StopsWithoutServing()
    {
        await using var process = Start("init-false");

        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.Equal(0, exitCode);
        Assert.Equal(0, _emulator.NextRequestCount);
        Assert.False(_emulator.InitErrorAsync.IsCompleted);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_ErrorPostedWithTypeAndLoopGoesOn()
    {
        await using var process = Start();

        var failed = await _emulator.InvokeAsync("\"throw\"").DefaultTimeout();
        var next = await _emulator.InvokeAsync("\"after\"").DefaultTimeout();

        Assert.True(failed.IsError);
        Assert.Null(failed.ResponseBody);
        Assert.Equal("ArgumentException", failed.ErrorType);
        Assert.Equal("ArgumentException", failed.FunctionErrorTypeHeader);
        Assert.Equal("the handler failed on purpose", failed.ErrorMessage);
        Assert.Equal("\"after\"", Json(next).GetProperty("event").GetString());
    }

    [Fact]
    public async Task Invoke_Context_CarriesRequestIdDeadlineAndFunctionSettings()
    {
        await using var process = Start();

        var result = await _emulator.InvokeAsync("{\"n\":1}", TimeSpan.FromSeconds(20)).DefaultTimeout();

        var context = Json(result);
        Assert.Equal("{\"n\":1}", context.GetProperty("event").GetString());
        Assert.Equal(result.RequestId, context.GetProperty("awsRequestId").GetString());
        Assert.InRange(context.GetProperty("remainingMs").GetInt64(), 1, 20_000);
        Assert.Equal("local-function", context.GetProperty("functionName").GetString());
        Assert.Equal("$LATEST", context.GetProperty("functionVersion").GetString());
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:local-function", context.GetProperty("invokedFunctionArn").GetString());
        Assert.Equal(128, context.GetProperty("memoryLimitInMB").GetInt32());
        Assert.Equal("/aws/lambda/local-function", context.GetProperty("logGroupName").GetString());
        Assert.Equal("local", context.GetProperty("logStreamName").GetString());
    }

    [Fact]
    public async Task Invoke_TraceHeader_ReachesContextAndEnvironmentAndIsClearedAfter()
    {
        const string traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        await using var process = Start();

        var traced = Json(await _emulator.InvokeAsync("{}", traceId: traceId).DefaultTimeout());
        var untraced = Json(await _emulator.InvokeAsync("{}").DefaultTimeout());

        Assert.Equal(traceId, traced.GetProperty("traceId").GetString());
        Assert.Equal(traceId, traced.GetProperty("traceEnvironment").GetString());
        Assert.Equal(traceId, traced.GetProperty("traceProvider").GetString());
        Assert.True(string.IsNullOrEmpty(untraced.GetProperty("traceId").GetString()));
        Assert.True(string.IsNullOrEmpty(untraced.GetProperty("traceEnvironment").GetString()));
        Assert.True(string.IsNullOrEmpty(untraced.GetProperty("traceProvider").GetString()));
    }

    [Fact]
    public async Task Invoke_DebugRunOnce_ExitsAfterOneInvocation()
    {
        await using var process = Start(environment: new() { ["AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE"] = "true" });

        var result = await _emulator.InvokeAsync("{}").DefaultTimeout();
        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.False(result.IsError);
        Assert.Equal(0, exitCode);
        Assert.Equal(1, _emulator.NextRequestCount);
    }

    [Fact]
    public async Task Logging_DefaultFormat_PrefixesConsoleLinesWithTimeRequestIdAndLevel()
    {
        await using var process = Start(environment: new() { ["AWS_LAMBDA_LOG_FORMAT"] = null, ["AWS_LAMBDA_LOG_LEVEL"] = null });

        var result = await _emulator.InvokeAsync("\"log\"").DefaultTimeout();
        await _emulator.InvokeAsync("{}").DefaultTimeout(); // the log lines of the first are flushed by now

        var stdout = Assert.Single(process.StdoutLines, l => l.EndsWith("a line on stdout", StringComparison.Ordinal)).Split('\t');
        Assert.Equal(4, stdout.Length);
        Assert.True(DateTimeOffset.TryParse(stdout[0], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal(result.RequestId, stdout[1]);
        Assert.Equal("info", stdout[2]);
        var stderr = Assert.Single(process.StderrLines, l => l.EndsWith("a line on stderr", StringComparison.Ordinal)).Split('\t');
        Assert.Equal("fail", stderr[2]);
        Assert.Single(process.StdoutLines, l => l.EndsWith("\tinfo\ta line through the context's logger", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logging_JsonFormat_WrapsEachConsoleLineInARecord()
    {
        await using var process = Start(environment: new() { ["AWS_LAMBDA_LOG_FORMAT"] = "JSON" });

        var result = await _emulator.InvokeAsync("\"log\"").DefaultTimeout();
        await _emulator.InvokeAsync("{}").DefaultTimeout();

        var records = process.StdoutLines.Concat(process.StderrLines)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        var stdout = Assert.Single(records, r => r.GetProperty("message").GetString() == "a line on stdout");
        Assert.Equal("Information", stdout.GetProperty("level").GetString());
        Assert.Equal(result.RequestId, stdout.GetProperty("requestId").GetString());
        Assert.True(stdout.TryGetProperty("timestamp", out _));
        var stderr = Assert.Single(records, r => r.GetProperty("message").GetString() == "a line on stderr");
        Assert.Equal("Error", stderr.GetProperty("level").GetString());
    }

    [Fact]
    public async Task Logging_LevelError_DropsInformationLines()
    {
        await using var process = Start(environment: new() { ["AWS_LAMBDA_LOG_FORMAT"] = "JSON", ["AWS_LAMBDA_LOG_LEVEL"] = "ERROR" });

        await _emulator.InvokeAsync("\"log\"").DefaultTimeout();
        await _emulator.InvokeAsync("{}").DefaultTimeout();

        Assert.DoesNotContain(process.StdoutLines, l => l.Contains("a line on stdout", StringComparison.Ordinal));
        Assert.Contains(process.StderrLines, l => l.Contains("a line on stderr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_RuntimeApiGoesAway_ProcessExitsNonZero()
    {
        await using var process = Start();
        await _emulator.FirstNextRequestAsync.DefaultTimeout();

        await _emulator.DisposeAsync();

        Assert.NotEqual(0, await process.WaitForExitAsync(TaskTimeouts.Default));
    }
}
