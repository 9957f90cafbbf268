using Grpc.Core;
using Grpc.Net.Client;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// Lets a call that finds the channel waiting out a reconnect backoff start a connection attempt at once and
/// wait for its outcome, instead of failing fast on the backoff timer. A request-driven caller (a Lambda
/// invocation) then publishes on its first call after the service is back, and still fails quickly, after
/// one refused attempt, while the service stays down.
/// </summary>
internal static class ReconnectGate
{
    /// <summary>Returns when the channel is not backing off, a fresh attempt has ended, or the budget is spent.</summary>
    /// <param name="channel">A channel over a <see cref="SocketsHttpHandler"/> (the only kind with connectivity state).</param>
    /// <param name="budget">How long the call can afford to wait; the call itself reports a deadline or cancellation.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    public static async Task WaitForFreshAttemptAsync(GrpcChannel channel, TimeSpan budget, CancellationToken cancellationToken)
    {
        // Idle: the call starts the connection itself. Connecting: the call waits for that attempt. Ready: go.
        if (channel.State != ConnectivityState.TransientFailure || budget <= TimeSpan.Zero)
        {
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(budget);
        try
        {
            // Watch before asking, so the attempt's Connecting state cannot slip by unseen.
            var started = channel.WaitForStateChangedAsync(ConnectivityState.TransientFailure, wait.Token);

            // Requesting a connection cuts the backoff delay short; its own wait for Ready is not needed.
            _ = channel.ConnectAsync(wait.Token).ContinueWith(
                static t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            await started.ConfigureAwait(false);

            var state = channel.State;
            while (state == ConnectivityState.Connecting)
            {
                await channel.WaitForStateChangedAsync(state, wait.Token).ConfigureAwait(false);
                state = channel.State;
            }
        }
        catch (OperationCanceledException)
        {
            // Budget spent or caller cancelled: the call that follows reports it.
        }
        finally
        {
            // Ends ConnectAsync's wait for Ready, which would otherwise outlive this call.
            await wait.CancelAsync().ConfigureAwait(false);
        }
    }
}
