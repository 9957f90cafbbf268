using Momento.Topics.LocalServer;

namespace Momento.Topics.Client.Tests.Infrastructure;

/// <summary>A local Topics server with its log recorded: disposing it fails the test on an Error entry the test did not declare.</summary>
internal sealed class TestTopicsServer(LocalTopicsServer server, ServerLog log) : IAsyncDisposable
{
    public ServerLog Log { get; } = log;

    public string HostPort => server.HostPort;

    public int Port => server.Port;

    public Uri Endpoint => server.Endpoint;

    public long ConnectionsAccepted => server.ConnectionsAccepted;

    public void ResetTopic(string cacheName, string topic) => server.ResetTopic(cacheName, topic);

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        Log.AssertNoUnexpectedErrors();
    }
}
