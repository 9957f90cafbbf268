using System.Text;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Lambda.Runtime.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Runtime.Tests;

public sealed class LambdaBootstrapTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));

    private InvocationRequest Invocation(string id, string body, TimeSpan? timeout = null) =>
        new(Encoding.UTF8.GetBytes(body), new LambdaContext(id, _time.GetUtcNow() + (timeout ?? TimeSpan.FromMinutes(1)), timeProvider: _time));

    private LambdaBootstrapOptions Options(FakeRuntimeApiClient client, bool runOnce = false) =>
        new() { Client = client, RunOnce = runOnce, TimeProvider = _time, Log = TextWriter.Null };

    private static Func<CancellationToken, Task<LambdaHandler>> Init(LambdaHandler handler) => _ => Task.FromResult(handler);

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task RunAsync_HandlerThrows_ReportsErrorAndContinues()
    {
        var client = new FakeRuntimeApiClient();
        client.Enqueue(Invocation("a", "fail"));
        client.Enqueue(Invocation("b", "ok"));
        using var stop = new CancellationTokenSource();
        LambdaHandler handler = (request, _) => Encoding.UTF8.GetString(request.Input.Span) == "fail"
            ? throw new InvalidOperationException("handler broke")
            : Task.FromResult(Utf8("done " + request.LambdaContext.AwsRequestId));

        var run = LambdaBootstrap.RunAsync(Init(handler), Options(client), stop.Token);

        var first = await client.NextCallAsync();
        Assert.Equal(new RuntimeCall("error", "a", null, new LambdaError("InvalidOperationException", "handler broke")), first);
        var second = await client.NextCallAsync();
        Assert.Equal(new RuntimeCall("response", "b", "done b", null), second);
        await stop.CancelAsync();
        Assert.Equal(0, await run.DefaultTimeout());
    }

    [Fact]
    public async Task RunAsync_AsyncHandlerFaults_ReportsError()
    {
        var client = new FakeRuntimeApiClient();
        client.Enqueue(Invocation("a", "{}"));
        using var stop = new CancellationTokenSource();
        LambdaHandler handler = async (_, ct) =>
        {
            await Task.Yield();
            throw new FormatException("late failure");
        };

        var run = LambdaBootstrap.RunAsync(Init(handler), Options(client), stop.Token);

        var call = await client.NextCallAsync();
        Assert.Equal("error", call.Kind);
        Assert.Equal(new LambdaError("FormatException", "late failure"), call.Error);
        await stop.CancelAsync();
        Assert.Equal(0, await run.DefaultTimeout());
    }

    [Fact]
    public async Task RunAsync_InitializerThrows_ReportsInitErrorAndReturnsOne()
    {
        var client = new FakeRuntimeApiClient();
        client.Enqueue(Invocation("never", "{}"));

        var exitCode = await LambdaBootstrap.RunAsync(
            _ => throw new InvalidOperationException("missing config"), Options(client)).DefaultTimeout();

        Assert.Equal(1, exitCode);
        Assert.Equal(new RuntimeCall("init-error", null, null, new LambdaError("InvalidOperationException", "missing config")), await client.NextCallAsync());
        Assert.Equal(0, client.NextCalls);
    }

    [Fact]
    public async Task RunAsync_DeadlinePasses_CancelsHandlerToken()
    {
        var client = new FakeRuntimeApiClient();
        client.Enqueue(Invocation("slow", "{}", TimeSpan.FromSeconds(5)));
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        LambdaHandler handler = async (_, ct) =>
        {
            started.SetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
            return Utf8("unreachable");
        };

        var run = LambdaBootstrap.RunAsync(Init(handler), Options(client), stop.Token);
        var token = await started.Task.DefaultTimeout();

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(token.IsCancellationRequested);
        var call = await client.NextCallAsync();
        Assert.Equal("error", call.Kind);
        Assert.Equal("slow", call.RequestId);
        Assert.Equal("TaskCanceledException", call.Error!.ErrorType);
        await stop.CancelAsync();
        Assert.Equal(0, await run.DefaultTimeout());
    }

    [Fact]
    public async Task RunAsync_RunOnce_ServesOneInvocationAndReturnsZero()
    {
        var client = new FakeRuntimeApiClient();
        client.Enqueue(Invocation("a", "1"));
        client.Enqueue(Invocation("b", "2"));

        var exitCode = await LambdaBootstrap.RunAsync(Init((request, _) => Task.FromResult(request.Input)), Options(client, runOnce: true)).DefaultTimeout();

        Assert.Equal(0, exitCode);
        Assert.Equal(new RuntimeCall("response", "a", "1", null), await client.NextCallAsync());
        Assert.Equal(1, client.NextCalls);
        Assert.False(client.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_RuntimeApiFails_ReturnsNonZero()
    {
        var client = new FakeRuntimeApiClient { SendResponseFailure = new RuntimeApiException("500 from /response") };
        client.Enqueue(Invocation("a", "1"));

        var exitCode = await LambdaBootstrap.RunAsync(Init((request, _) => Task.FromResult(request.Input)), Options(client)).DefaultTimeout();

        Assert.Equal(1, exitCode);
        Assert.Equal(1, client.NextCalls);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingForNext_ReturnsZero()
    {
        var client = new FakeRuntimeApiClient();
        using var stop = new CancellationTokenSource();
        var initialized = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<CancellationToken, Task<LambdaHandler>> init = _ =>
        {
            initialized.SetResult();
            return Task.FromResult<LambdaHandler>((request, _) => Task.FromResult(request.Input));
        };

        var run = LambdaBootstrap.RunAsync(init, Options(client), stop.Token);
        await initialized.Task.DefaultTimeout();
        await stop.CancelAsync();

        Assert.Equal(0, await run.DefaultTimeout());
        Assert.False(client.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_CancelledDuringHandler_ReturnsZeroWithoutReporting()
    {
        var client = new FakeRuntimeApiClient();
        client.Enqueue(Invocation("a", "1"));
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LambdaHandler handler = async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return default;
        };

        var run = LambdaBootstrap.RunAsync(Init(handler), Options(client), stop.Token);
        await started.Task.DefaultTimeout();
        await stop.CancelAsync();

        Assert.Equal(0, await run.DefaultTimeout());
        Assert.False(client.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_NoEndpoint_ThrowsNamingTheSetting()
    {
        var options = new LambdaBootstrapOptions { RuntimeApiEndpoint = " ", Log = TextWriter.Null };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LambdaBootstrap.RunAsync(Init((request, _) => Task.FromResult(request.Input)), options));

        Assert.Contains("AWS_LAMBDA_RUNTIME_API", error.Message);
        Assert.Contains("RuntimeApiEndpoint", error.Message);
    }
}
