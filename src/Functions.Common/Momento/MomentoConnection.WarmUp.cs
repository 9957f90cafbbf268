using System.Diagnostics;
using Momento.Topics.Client;

namespace Functions.Common.Momento;

/// <summary>Warm-up: opens the connection in the init phase and logs how that went.</summary>
public sealed partial class MomentoConnection
{
    /// <summary>
    /// Opens the connection now (TCP, TLS) with a Ping, so the first request does not pay for it. Returns once the
    /// connection is up, not when the Ping is answered: a caller waiting on this cold start would pay that round trip
    /// again, and the first publish follows the Ping on the same connection anyway. A Ping that fails before the
    /// connection is up (a wrong endpoint, an untrusted certificate) is its answer; one that fails after (a rejected
    /// key) is logged when it arrives.
    /// </summary>
    public async Task<TopicConnectResponse> WarmAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var client = Client;
        var ping = client.ConnectAsync(cancellationToken);
        await Task.WhenAny(ping, client.Connected).ConfigureAwait(false);
        if (!ping.IsCompleted)
        {
            var connected = new TopicConnectResponse.Success(Stopwatch.GetElapsedTime(started));
            LogWarmUp(connected);
            _ = LogIfFailedAsync(ping);
            return connected;
        }

        var response = await ping.ConfigureAwait(false);
        LogWarmUp(response);
        return response;
    }

    private async Task LogIfFailedAsync(Task<TopicConnectResponse> ping)
    {
        if (await ping.ConfigureAwait(false) is TopicConnectResponse.Error error)
        {
            LogWarmUp(error);
        }
    }

    private void LogWarmUp(TopicConnectResponse response)
    {
        switch (response)
        {
            case TopicConnectResponse.Success success:
                _log.Info("Momento connection warmed", w =>
                {
                    w.WriteString("endpoint", _endpoint);
                    w.WriteNumber("warmupMs", Math.Round(success.Elapsed.TotalMilliseconds, 2));
                });
                break;
            case TopicConnectResponse.Error error:
                _log.Warn("Momento connection warm-up failed; the first call will connect", w =>
                {
                    w.WriteString("endpoint", _endpoint);
                    w.WriteString("errorCode", error.TopicError.Code.ToMomentoName());
                    w.WriteString("error", error.TopicError.Message);
                });
                break;
        }
    }
}
