namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// Replaces the console lifetime: a server hosted inside tests must not take over Ctrl+C or
/// SIGTERM of its host process. The standalone program handles signals itself.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
