using Momento.Topics.LocalServer;

namespace Publisher.Function.Tests.Support;

/// <summary>One local Topics server on a free port, shared by the tests of a class.</summary>
public sealed class LocalServerFixture : IAsyncLifetime
{
    private LocalTopicsServer? _server;

    internal LocalTopicsServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>The server's log, with each call's deadline (<c>CallStarted</c>, debug level).</summary>
    internal ServerLog Log { get; } = new();

    public async Task InitializeAsync() =>
        _server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions
        {
            Port = 0,
            Caches = [FunctionHost.CacheName],
            LoggerProvider = Log,
            MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Debug,
        }).DefaultTimeout();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Log.AssertNoUnexpectedErrors();
    }
}
