using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Lambda.Runtime.Emulator.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Runtime.Emulator;

/// <summary>A local Lambda Runtime API (2018-06-01) on 127.0.0.1: queue events with <see cref="InvokeAsync"/>,
/// a runtime under test long-polls /next and posts responses or errors. Any number of pollers may wait on /next at
/// once (a multi-concurrency runtime polls from several tasks); each event goes to one of them.</summary>
/// <remarks>Unlike AWS, which resets the environment after a timeout, the emulator accepts (and ignores) a late
/// answer to a timed-out invocation so that the runtime can go on serving.</remarks>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    /// <summary>AWS's synchronous response limit; larger responses get 413.</summary>
    internal const int MaxResponseBytes = 6_291_556;

    internal const string InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:local-function";

    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private const string Prefix = "/2018-06-01/runtime/";

    private readonly WebApplication _app;
    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _invocations = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<LambdaInitError> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTimeOffset> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();

    // Lambda hands an environment at most its maximum concurrency of events at once; null: no limit.
    private readonly SemaphoreSlim? _slots;
    private int _nextRequestCount;
    private int _waitingPollers;
    private int _inFlight;
    private int _peakInFlight;
    private int _disposed;

    private RuntimeApiEmulator(WebApplication app, int maxConcurrency)
    {
        _app = app;
        _slots = maxConcurrency > 0 ? new SemaphoreSlim(maxConcurrency, maxConcurrency) : null;
    }

    /// <summary>host:port to put in AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostPort { get; private set; } = string.Empty;

    /// <summary>Completes when the runtime posts /runtime/init/error.</summary>
    public Task<LambdaInitError> InitErrorAsync => _initError.Task;

    /// <summary>Completes with the time (UTC) of the runtime's first /next call, the end of its init phase.</summary>
    public Task<DateTimeOffset> FirstNextRequestAsync => _firstNext.Task;

    /// <summary>How many /next calls have arrived.</summary>
    public int NextRequestCount => Volatile.Read(ref _nextRequestCount);

    /// <summary>How many /next calls are waiting for an event right now.</summary>
    public int WaitingPollers => Volatile.Read(ref _waitingPollers);

    /// <summary>The most invocations handed to the runtime and not yet answered at the same time.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peakInFlight);

    /// <summary>Starts Kestrel on 127.0.0.1 with a free port, HTTP/1.1, no logging; events go out as soon as a poller asks.</summary>
    public static Task<RuntimeApiEmulator> StartAsync(CancellationToken cancellationToken = default) => StartAsync(0, cancellationToken);

    /// <summary>Like <see cref="StartAsync(CancellationToken)"/>, handing out at most <paramref name="maxConcurrency"/>
    /// events at once, as Lambda does to an environment with that maximum concurrency (0: no limit).</summary>
    public static async Task<RuntimeApiEmulator> StartAsync(int maxConcurrency, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConcurrency);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            // Reads oversized responses so they can be refused with 413 as AWS does.
            kestrel.Limits.MaxRequestBodySize = 4L * MaxResponseBytes;
        });
        var app = builder.Build();
        var emulator = new RuntimeApiEmulator(app, maxConcurrency);
        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        emulator.HostPort = string.Create(CultureInfo.InvariantCulture, $"{uri.Host}:{uri.Port}");
        return emulator;
    }

    /// <summary>Queues an event and waits until the runtime answers it or its deadline passes (then <see cref="InvocationResult.TimedOut"/>).</summary>
    /// <param name="eventJson">The event payload.</param>
    /// <param name="timeout">The function timeout, from now. Default 30 s.</param>
    /// <param name="traceId">Sent as Lambda-Runtime-Trace-Id when not null.</param>
    /// <param name="cancellationToken">Stops waiting (the event stays queued).</param>
    public async Task<InvocationResult> InvokeAsync(string eventJson, TimeSpan? timeout = null, string? traceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventJson);
        var limit = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));

        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), eventJson, DateTimeOffset.UtcNow + limit, traceId);
        _invocations[invocation.RequestId] = invocation;
        _queue.Writer.TryWrite(invocation);

        using var deadline = new CancellationTokenSource(limit);
        using var onDeadline = deadline.Token.Register(() => invocation.TryComplete(null, false, null, null, null, timedOut: true));
        return await invocation.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until at least <paramref name="pollers"/> /next calls wait for an event at the same time.</summary>
    public async Task WhenPollingAsync(int pollers, CancellationToken cancellationToken = default)
    {
        while (WaitingPollers < pollers)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server; pending invocations are cancelled. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        foreach (var invocation in _invocations.Values)
        {
            invocation.Result.TrySetCanceled();
        }

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _slots?.Dispose();
    }

    private Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Status(context, HttpStatusCode.NotFound, "UnknownPath", "Unknown path.");
        }

        var route = path[Prefix.Length..];
        if (HttpMethods.IsGet(request.Method) && route == "invocation/next")
        {
            return NextAsync(context);
        }

        if (HttpMethods.IsPost(request.Method) && route == "init/error")
        {
            return InitErrorAsyncCore(context);
        }

        // invocation/{id}/response or invocation/{id}/error
        var parts = route.Split('/');
        if (HttpMethods.IsPost(request.Method) && parts.Length == 3 && parts[0] == "invocation")
        {
            var requestId = Uri.UnescapeDataString(parts[1]);
            switch (parts[2])
            {
                case "response":
                    return ResponseAsync(context, requestId);
                case "error":
                    return ErrorAsync(context, requestId);
            }
        }

        return Status(context, HttpStatusCode.NotFound, "UnknownPath", "Unknown path.");
    }

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextRequestCount);
        _firstNext.TrySetResult(DateTimeOffset.UtcNow);

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        PendingInvocation invocation;
        var slotTaken = false;
        Interlocked.Increment(ref _waitingPollers);
        try
        {
            if (_slots is not null)
            {
                await _slots.WaitAsync(wait.Token).ConfigureAwait(false);
                slotTaken = true;
            }

            do
            {
                invocation = await _queue.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
                if (invocation.Result.Task.IsCompleted)
                {
                    _invocations.TryRemove(invocation.RequestId, out _); // timed out before anyone took it
                }
            }
            while (invocation.Result.Task.IsCompleted);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            if (slotTaken)
            {
                _slots!.Release();
            }

            context.Abort();
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _waitingPollers);
        }

        HandOut(invocation);

        var headers = context.Response.Headers;
        headers[EmulatorHeaders.AwsRequestId] = invocation.RequestId;
        headers[EmulatorHeaders.DeadlineMs] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[EmulatorHeaders.InvokedFunctionArn] = InvokedFunctionArn;
        if (invocation.TraceId is not null)
        {
            headers[EmulatorHeaders.TraceId] = invocation.TraceId;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(invocation.EventJson, context.RequestAborted).ConfigureAwait(false);
    }

    // Counts the invocation in flight until it is answered or times out; then its slot is free for the next event.
    private void HandOut(PendingInvocation invocation)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); inFlight > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            if (Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) == peak)
            {
                break;
            }
        }

        invocation.Result.Task.ContinueWith(
            _ =>
            {
                Interlocked.Decrement(ref _inFlight);
                _slots?.Release();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ResponseAsync(HttpContext context, string requestId)
    {
        if (!_invocations.TryGetValue(requestId, out var invocation))
        {
            await InvalidRequestId(context).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body.Length > MaxResponseBytes)
        {
            // The invocation stays open: the runtime is expected to report an error for it.
            await Status(context, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge",
                string.Create(CultureInfo.InvariantCulture, $"Exceeded maximum allowed payload size ({MaxResponseBytes} bytes).")).ConfigureAwait(false);
            return;
        }

        if (!_invocations.TryRemove(requestId, out _))
        {
            await InvalidRequestId(context).ConfigureAwait(false);
            return;
        }

        invocation.TryComplete(Encoding.UTF8.GetString(body), false, null, null, null, timedOut: false);
        await Accepted(context).ConfigureAwait(false);
    }

    private async Task ErrorAsync(HttpContext context, string requestId)
    {
        if (!_invocations.TryRemove(requestId, out var invocation))
        {
            await InvalidRequestId(context).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var (errorType, errorMessage) = ParseError(body);
        string? header = context.Request.Headers[EmulatorHeaders.FunctionErrorType];
        invocation.TryComplete(null, true, errorType, errorMessage, header, timedOut: false);
        await Accepted(context).ConfigureAwait(false);
    }

    private async Task InitErrorAsyncCore(HttpContext context)
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var (errorType, errorMessage) = ParseError(body);
        _initError.TrySetResult(new LambdaInitError(errorType, errorMessage, Encoding.UTF8.GetString(body)));
        await Accepted(context).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static (string? ErrorType, string? ErrorMessage) ParseError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (StringProperty(root, "errorType"), StringProperty(root, "errorMessage")) : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Task Accepted(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"status\":\"OK\"}", context.RequestAborted);
    }

    private static Task InvalidRequestId(HttpContext context) =>
        Status(context, HttpStatusCode.BadRequest, "InvalidRequestID", "Invalid request ID");

    private static async Task Status(HttpContext context, HttpStatusCode status, string errorType, string errorMessage)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        using var body = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", errorMessage);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
