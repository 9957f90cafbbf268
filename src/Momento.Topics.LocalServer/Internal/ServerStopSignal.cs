namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// Fires when the server starts stopping, before Kestrel waits for open requests, so that open
/// streams end with UNAVAILABLE instead of holding up the shutdown.
/// </summary>
internal sealed class ServerStopSignal
{
    public ServerStopSignal(IHostApplicationLifetime lifetime) => Token = lifetime.ApplicationStopping;

    public CancellationToken Token { get; }
}
