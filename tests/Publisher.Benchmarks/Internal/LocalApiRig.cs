using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Suites;
using Publisher.Local;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// The local HTTP API in this process, publishing to a local Topics server of its own, and a client for it (no proxy):
/// what the suites that time requests through the API end to end start with.
/// </summary>
internal sealed class LocalApiRig : IAsyncDisposable
{
    private LocalApiRig(LocalTopicsServer server, LocalService service)
    {
        Server = server;
        Service = service;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = service.ApiUrl };
    }

    /// <summary>The Topics server the API publishes to.</summary>
    public LocalTopicsServer Server { get; }

    /// <summary>The local service whose API the suite calls.</summary>
    public LocalService Service { get; }

    /// <summary>A client whose base address is the API.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the Topics server (with the benchmark's cache), then the service publishing to it.</summary>
    public static async Task<LocalApiRig> StartAsync(CancellationToken cancellationToken)
    {
        var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        try
        {
            var service = await LocalService.StartAsync(WarmSuite.LocalServiceFor(server), cancellationToken).ConfigureAwait(false);
            return new LocalApiRig(server, service);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // The reverse of the start: the client, the service, then the server it publishes to.
        Http.Dispose();
        await Service.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
