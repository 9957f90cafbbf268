using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.Client.Internal;

/// <summary>What reading a subscription stream gave.</summary>
internal enum StepKind
{
    Message,
    EndedWithOk,
    Failed,
    CallerCancelled,
    Disposed,
}

/// <summary>One read of a subscription stream, as a value.</summary>
internal readonly record struct StreamStep(StepKind Kind, _SubscriptionItem? Message, TopicError? Error, bool Resubscribe)
{
    public static StreamStep CallerCancelled => new(StepKind.CallerCancelled, null, null, false);

    public static StreamStep Disposed => new(StepKind.Disposed, null, null, false);

    // A server must not end a stream with OK; resume it as if it had failed.
    public static StreamStep EndedWithOk => new(StepKind.EndedWithOk, null, null, true);

    public static StreamStep Received(_SubscriptionItem message) => new(StepKind.Message, message, null, false);

    public static StreamStep Failed(TopicError error, bool resubscribe) => new(StepKind.Failed, null, error, resubscribe);
}

/// <summary>One server stream of a subscription, with the channel lease it holds.</summary>
internal sealed class SubscriptionStream : IDisposable
{
    private readonly ChannelHolder.Lease _lease;
    private readonly AsyncServerStreamingCall<_SubscriptionItem> _call;
    private readonly TimeProvider _time;
    private readonly CancellationToken _callerToken;
    private readonly CancellationToken _clientDisposed;

    public SubscriptionStream(ChannelHolder.Lease lease, AsyncServerStreamingCall<_SubscriptionItem> call, TimeProvider time, CancellationToken callerToken, CancellationToken clientDisposed)
    {
        _lease = lease;
        _call = call;
        _time = time;
        _callerToken = callerToken;
        _clientDisposed = clientDisposed;
    }

    /// <summary>Reads the next message; with <paramref name="firstMessageTimeout"/>, gives up (retryably) after it.</summary>
    public async Task<StreamStep> ReadAsync(TimeSpan? firstMessageTimeout)
    {
        using var timer = firstMessageTimeout is { } timeout ? new CancellationTokenSource(timeout, _time) : null;
        try
        {
            // Cancelling the token of a read cancels the whole call in grpc-dotnet, which is what a timeout wants.
            return await _call.ResponseStream.MoveNext(timer?.Token ?? CancellationToken.None).ConfigureAwait(false)
                ? StreamStep.Received(_call.ResponseStream.Current)
                : StreamStep.EndedWithOk;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            if (_callerToken.IsCancellationRequested)
            {
                return StreamStep.CallerCancelled;
            }

            if (_clientDisposed.IsCancellationRequested)
            {
                return StreamStep.Disposed;
            }

            if (timer?.IsCancellationRequested == true)
            {
                var error = new TopicError(
                    MomentoErrorCode.TimeoutError,
                    "The subscription stream sent no first heartbeat within FirstHeartbeatTimeout; it will be resumed.",
                    StatusCode.DeadlineExceeded,
                    MayHaveExecuted: false,
                    ErrorDetail: null,
                    RetryDisposition: null);
                return StreamStep.Failed(error, resubscribe: true);
            }

            return e is RpcException rpc
                ? StreamStep.Failed(ErrorMapper.FromRpcException(rpc, "The subscription"), ErrorMapper.IsResubscribable(rpc.StatusCode))
                : StreamStep.Failed(ErrorMapper.Unexpected("The subscription", e), resubscribe: false);
        }
    }

    public void Dispose()
    {
        _call.Dispose();
        _lease.Dispose();
    }
}
