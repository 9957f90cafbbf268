using Momento.Topics.LocalServer;
using Publisher.Contracts;

namespace Publisher.Function.Tests.Support;

/// <summary>
/// A local Topics server and two functions over it: one with the default limits, one with lower configured
/// limits and a topic allowlist.
/// </summary>
public sealed class HandlerFixture : IAsyncLifetime
{
    public const string Default = "default";
    public const string Limited = "limited";

    /// <summary>The limited function's settings.</summary>
    public const int LimitedMaxValueBytes = 100;
    public const int LimitedMaxBodyBytes = 2048;
    public const int LimitedMaxBatchMessages = 3;
    public const string LimitedPrefixes = "allowed., also-";

    private LocalTopicsServer? _server;
    private FunctionHost? _default;
    private FunctionHost? _limited;

    internal LocalTopicsServer Server => _server!;

    private ServerLog ServerLog { get; } = new();

    internal FunctionHost Host(string profile) => profile == Limited ? _limited! : _default!;

    public async Task InitializeAsync()
    {
        _server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], LoggerProvider = ServerLog }).DefaultTimeout();
        _default = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_server));
        var limited = FunctionHost.LocalSettings(_server);
        limited[EnvironmentVariables.MaxValueBytes] = LimitedMaxValueBytes.ToString();
        limited[EnvironmentVariables.MaxBodyBytes] = LimitedMaxBodyBytes.ToString();
        limited[EnvironmentVariables.MaxBatchMessages] = LimitedMaxBatchMessages.ToString();
        limited[EnvironmentVariables.AllowedTopicPrefixes] = LimitedPrefixes;
        _limited = await FunctionHost.InitializeAsync(limited);

        // Spend the cold start, so every row sees a warm function.
        foreach (var host in new[] { _default, _limited })
        {
            var first = await host.InvokeAsync(TestEvents.Build(Functions.Common.Http.EventShape.RestApiV1, "GET", "/", null));
            Assert.True(first.Record.GetProperty("coldStart").GetBoolean());
        }
    }

    public async Task DisposeAsync()
    {
        if (_default is not null)
        {
            await _default.DisposeAsync();
        }

        if (_limited is not null)
        {
            await _limited.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        ServerLog.AssertNoUnexpectedErrors();
    }
}
