using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// Runs before every RPC: checks the API key when one is required, then applies the
/// fault-injection headers (delay, injected error, stream error).
/// </summary>
internal sealed partial class CallPolicyInterceptor : Interceptor
{
    private const string AuthorizationHeader = "authorization";

    private readonly byte[]? _requiredKey;
    private readonly FaultCounters _counters;
    private readonly ServerStopSignal _stop;
    private readonly ILogger<CallPolicyInterceptor> _logger;

    public CallPolicyInterceptor(
        LocalTopicsServerOptions options,
        FaultCounters counters,
        ServerStopSignal stop,
        ILogger<CallPolicyInterceptor> logger)
    {
        _requiredKey = options.RequiredApiKey is null ? null : Encoding.UTF8.GetBytes(options.RequiredApiKey);
        _counters = counters;
        _stop = stop;
        _logger = logger;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await ApplyAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var spec = await ApplyAsync(context).ConfigureAwait(false);
        var rpc = FaultRpcNames.FromMethod(context.Method);
        if (spec.StreamError is { } code && (spec.StreamErrorRpcs & rpc) != 0)
        {
            responseStream = new FailingStreamWriter<TResponse>(
                responseStream,
                spec.StreamErrorMessageLimit,
                code,
                spec.RetryDisposition);
        }
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    private async Task<FaultSpec> ApplyAsync(ServerCallContext context)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // What the caller's grpc-timeout left when the call arrived; tests check a caller's budget with it.
            var deadlineMs = context.Deadline == DateTime.MaxValue ? (long?)null : (long)(context.Deadline - DateTime.UtcNow).TotalMilliseconds;
            Log.CallStarted(_logger, context.Method, context.RequestHeaders.GetValue(FaultSpec.RequestIdHeader), deadlineMs);
        }

        Authenticate(context.RequestHeaders);
        var spec = FaultSpec.Parse(context.RequestHeaders);
        if (ReferenceEquals(spec, FaultSpec.None))
        {
            return spec;
        }

        var rpc = FaultRpcNames.FromMethod(context.Method);
        if (spec.DelayMs is { } delayMs && (spec.DelayRpcs & rpc) != 0 && _counters.TryConsume(spec.DelayKey, spec.DelayCount))
        {
            Log.Delaying(_logger, context.Method, delayMs);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stop.Token);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs), linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.Token.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw RpcErrors.ShuttingDown();
            }
        }
        if (spec.ReturnError is { } code && (spec.ErrorRpcs & rpc) != 0 && _counters.TryConsume(spec.ErrorKey, spec.ErrorCount))
        {
            Log.InjectingError(_logger, context.Method, code);
            throw RpcErrors.Injected(code, FaultSpec.ReturnErrorHeader, spec.RetryDisposition);
        }
        return spec;
    }

    private void Authenticate(Metadata headers)
    {
        if (_requiredKey is null)
        {
            return;
        }
        var given = headers.GetValue(AuthorizationHeader);
        if (given is null)
        {
            throw RpcErrors.Unauthenticated("Missing authorization header");
        }
        // Constant-time so the local server does not model a timing leak.
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _requiredKey))
        {
            throw RpcErrors.Unauthenticated("Invalid API key");
        }
    }

    /// <summary>
    /// Fails the stream after a number of items and discontinuities (heartbeats not counted) have been sent,
    /// but never between a discontinuity and the item after it: the JS SDK records a discontinuity's
    /// <c>new_topic_sequence</c> as received, so a break there would make its resume skip that item.
    /// </summary>
    private sealed class FailingStreamWriter<T> : IServerStreamWriter<T>
    {
        private readonly IServerStreamWriter<T> _inner;
        private readonly int _limit;
        private readonly StatusCode _code;
        private readonly string? _retryDisposition;
        private int _sent;
        private bool _itemOwed;

        public FailingStreamWriter(IServerStreamWriter<T> inner, int limit, StatusCode code, string? retryDisposition)
        {
            _inner = inner;
            _limit = limit;
            _code = code;
            _retryDisposition = retryDisposition;
        }

        public WriteOptions? WriteOptions
        {
            get => _inner.WriteOptions;
            set => _inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            await _inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            var kind = message is _SubscriptionItem item ? item.KindCase : _SubscriptionItem.KindOneofCase.None;
            if (kind != _SubscriptionItem.KindOneofCase.Heartbeat)
            {
                _sent++;
            }
            if (kind == _SubscriptionItem.KindOneofCase.Discontinuity)
            {
                _itemOwed = true;
            }
            else if (kind == _SubscriptionItem.KindOneofCase.Item)
            {
                _itemOwed = false;
            }
            if (_sent >= _limit && !_itemOwed)
            {
                throw RpcErrors.Injected(_code, FaultSpec.StreamErrorHeader, _retryDisposition);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "FaultDelay", Level = LogLevel.Information, Message = "Delaying {Method} by {DelayMs} ms as requested by a fault-injection header")]
        public static partial void Delaying(ILogger logger, string method, int delayMs);

        [LoggerMessage(EventId = 2, EventName = "FaultError", Level = LogLevel.Information, Message = "Failing {Method} with {Code} as requested by a fault-injection header")]
        public static partial void InjectingError(ILogger logger, string method, StatusCode code);

        [LoggerMessage(EventId = 3, EventName = "CallStarted", Level = LogLevel.Debug, Message = "{Method} called (request-id {RequestId}), {DeadlineMs} ms before its deadline")]
        public static partial void CallStarted(ILogger logger, string method, string? requestId, long? deadlineMs);
    }
}
