using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;
using Lambda.Runtime.Emulator;
using Lambda.Runtime.Tests.Support;

namespace Lambda.Runtime.Tests;

/// <summary>RuntimeApiClient and LambdaBootstrap in-process against the emulator over real HTTP on 127.0.0.1.</summary>
[Collection(RuntimeEnvironmentCollection.Name)]
public sealed class EmulatorRoundTripTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private RuntimeApiEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _emulator.DisposeAsync();
        _stop.Dispose();
    }

    private Task<int> Run(LambdaHandler handler) => Run(_ => Task.FromResult(handler));

    private Task<int> Run(Func<CancellationToken, Task<LambdaHandler>> initializer) =>
        LambdaBootstrap.RunAsync(initializer, new LambdaBootstrapOptions { RuntimeApiEndpoint = _emulator.HostPort, RunOnce = false, Log = TextWriter.Null }, _stop.Token);

    private static LambdaHandler Typed(Func<APIGatewayProxyRequest, ILambdaContext, CancellationToken, Task<APIGatewayProxyResponse>> handler) =>
        HandlerWrapper.Create(handler, APIGatewayEventsJsonContext.Default.APIGatewayProxyRequest, APIGatewayEventsJsonContext.Default.APIGatewayProxyResponse);

    [Fact]
    public async Task InvokeAsync_TypedHandler_ReturnsResponse()
    {
        var run = Run(Typed((request, context, _) => Task.FromResult(new APIGatewayProxyResponse
        {
            StatusCode = 200,
            Body = $"{request.HttpMethod} {request.Path} {request.Headers!["content-type"]} {context.RemainingTime > TimeSpan.Zero}",
        })));

        var result = await _emulator.InvokeAsync(Fixtures.Read(Fixtures.RestApiV1)).DefaultTimeout();

        Assert.False(result.IsError);
        Assert.False(result.TimedOut);
        var response = JsonSerializer.Deserialize(result.ResponseBody!, APIGatewayEventsJsonContext.Default.APIGatewayProxyResponse)!;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("POST /hello/world application/json True", response.Body);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        Assert.True(_emulator.FirstNextRequestAsync.IsCompletedSuccessfully);
        Assert.True(_emulator.NextRequestCount >= 1);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task InvokeAsync_SeveralEvents_ServedInOrderByOneLoop()
    {
        _ = Run((request, _) => Task.FromResult(request.Input));

        for (var i = 0; i < 3; i++)
        {
            var result = await _emulator.InvokeAsync($"{{\"n\":{i}}}").DefaultTimeout();
            Assert.Equal($"{{\"n\":{i}}}", result.ResponseBody);
        }

        Assert.True(_emulator.NextRequestCount >= 3);
    }

    [Fact]
    public async Task InvokeAsync_HandlerThrows_ErrorWithTypeHeaderAndLoopContinues()
    {
        _ = Run((request, _) => Encoding.UTF8.GetString(request.Input.Span) == "\"fail\""
            ? throw new InvalidOperationException("no topic")
            : Task.FromResult(request.Input));

        var failed = await _emulator.InvokeAsync("\"fail\"").DefaultTimeout();
        var ok = await _emulator.InvokeAsync("\"ok\"").DefaultTimeout();

        Assert.True(failed.IsError);
        Assert.Equal("InvalidOperationException", failed.ErrorType);
        Assert.Equal("InvalidOperationException", failed.FunctionErrorTypeHeader);
        Assert.Equal("no topic", failed.ErrorMessage);
        Assert.Null(failed.ResponseBody);
        Assert.Equal("\"ok\"", ok.ResponseBody);
    }

    [Fact]
    public async Task InvokeAsync_InvalidJsonForTypedHandler_ReportsSerializationError()
    {
        _ = Run(Typed((_, _, _) => Task.FromResult(new APIGatewayProxyResponse { StatusCode = 200 })));

        var result = await _emulator.InvokeAsync("{not json").DefaultTimeout();

        Assert.True(result.IsError);
        Assert.Equal(nameof(LambdaSerializationException), result.ErrorType);
        Assert.Contains(nameof(APIGatewayProxyRequest), result.ErrorMessage);
    }

    [Fact]
    public async Task RunAsync_InitializerThrows_InitErrorPostedAndExitCodeOne()
    {
        var exitCode = await Run(_ => throw new InvalidOperationException("MOMENTO_ENDPOINT is not set")).DefaultTimeout();

        var initError = await _emulator.InitErrorAsync.DefaultTimeout();
        Assert.Equal(1, exitCode);
        Assert.Equal("InvalidOperationException", initError.ErrorType);
        Assert.Equal("MOMENTO_ENDPOINT is not set", initError.ErrorMessage);
        Assert.Contains("\"stackTrace\":[]", initError.RawBody);
        Assert.Equal(0, _emulator.NextRequestCount);
    }

    [Fact]
    public async Task InvokeAsync_DeadlinePasses_TimedOutAndHandlerTokenCancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Run(async (request, ct) =>
        {
            if (Encoding.UTF8.GetString(request.Input.Span) == "\"slow\"")
            {
                ct.Register(cancelled.SetResult);
                await release.Task; // ignores the token, like a stuck handler
            }

            return request.Input;
        });

        await _emulator.FirstNextRequestAsync.DefaultTimeout(); // the runtime is parked in /next: the event is taken at once
        var slow = await _emulator.InvokeAsync("\"slow\"", TimeSpan.FromMilliseconds(500)).DefaultTimeout();
        await cancelled.Task.DefaultTimeout();
        release.SetResult(); // the late answer is accepted and ignored
        var next = await _emulator.InvokeAsync("\"next\"").DefaultTimeout();

        Assert.True(slow.TimedOut);
        Assert.Null(slow.ResponseBody);
        Assert.True(slow.Elapsed >= TimeSpan.FromMilliseconds(450));
        Assert.Equal("\"next\"", next.ResponseBody);
    }

    [Fact]
    public async Task InvokeAsync_TraceId_ReachesContextAndEnvironment()
    {
        const string traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        _ = Run((request, _) => Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(
            $"{request.LambdaContext.TraceId}|{Environment.GetEnvironmentVariable(LambdaEnvironment.TraceId)}|{request.LambdaContext.InvokedFunctionArn}")));

        var traced = await _emulator.InvokeAsync("{}", traceId: traceId).DefaultTimeout();
        var untraced = await _emulator.InvokeAsync("{}").DefaultTimeout();

        Assert.Equal($"{traceId}|{traceId}|arn:aws:lambda:us-east-1:123456789012:function:local-function", traced.ResponseBody);
        Assert.StartsWith("||", untraced.ResponseBody);
    }

    [Fact]
    public async Task InvokeAsync_ResponseOverPayloadLimit_ReportedAsError()
    {
        var big = new byte[7 * 1024 * 1024];
        big.AsSpan().Fill((byte)'a');
        _ = Run((_, _) => Task.FromResult<ReadOnlyMemory<byte>>(big));

        var result = await _emulator.InvokeAsync("{}").DefaultTimeout();

        Assert.True(result.IsError);
        Assert.Equal("Function.ResponseSizeTooLarge", result.ErrorType);
        Assert.Equal("Function.ResponseSizeTooLarge", result.FunctionErrorTypeHeader);
    }

    [Fact]
    public async Task RunAsync_RuntimeApiGoesAway_ExitsNonZero()
    {
        var run = Run((request, _) => Task.FromResult(request.Input));
        await _emulator.FirstNextRequestAsync.DefaultTimeout();

        await _emulator.DisposeAsync();

        Assert.NotEqual(0, await run.DefaultTimeout());
    }

    [Fact]
    public async Task Emulator_UnknownRequestId_Answers400()
    {
        using var http = new HttpClient();
        var baseUrl = $"http://{_emulator.HostPort}/2018-06-01/runtime/invocation";

        using var response = await http.PostAsync($"{baseUrl}/no-such-id/response", new StringContent("{}")).DefaultTimeout();
        using var error = await http.PostAsync($"{baseUrl}/no-such-id/error", new StringContent("{}")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("InvalidRequestID", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Emulator_AnsweredTwice_SecondAnswerIs400()
    {
        using var http = new HttpClient();
        var invoke = _emulator.InvokeAsync("{}");
        using var next = await http.GetAsync($"http://{_emulator.HostPort}/2018-06-01/runtime/invocation/next").DefaultTimeout();
        var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        var deadlineMs = long.Parse(next.Headers.GetValues("Lambda-Runtime-Deadline-Ms").Single());
        var url = $"http://{_emulator.HostPort}/2018-06-01/runtime/invocation/{id}/response";

        using var first = await http.PostAsync(url, new StringContent("\"one\"")).DefaultTimeout();
        using var second = await http.PostAsync(url, new StringContent("\"two\"")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("\"one\"", (await invoke.DefaultTimeout()).ResponseBody);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs) - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }
}
