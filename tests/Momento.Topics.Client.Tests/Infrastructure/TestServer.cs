using Grpc.Core;
using Momento.Topics.LocalServer;

namespace Momento.Topics.Client.Tests.Infrastructure;

/// <summary>Starts the local Topics server on 127.0.0.1:0 and builds clients for it.</summary>
internal static class TestServer
{
    public const string Cache = "default-cache";

    public static async Task<TestTopicsServer> StartAsync(string? requiredApiKey = null, int replayBufferSize = 1024, int port = 0, Microsoft.Extensions.Logging.LogLevel minimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning)
    {
        var log = new ServerLog();
        var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions
        {
            Port = port,
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            RequiredApiKey = requiredApiKey,
            Caches = [Cache],
            ReplayBufferSize = replayBufferSize,
            MaxValueBytes = 4096,
            LoggerProvider = log,
            MinimumLogLevel = minimumLogLevel,
        }).DefaultTimeout();
        return new TestTopicsServer(server, log);
    }

    public static TopicClient CreateClient(TestTopicsServer server, TopicClientOptions? options = null, Metadata? faults = null, string? authToken = null)
    {
        options ??= new TopicClientOptions { ResubscribeDelay = TimeSpan.FromMilliseconds(20) };
        var credentials = authToken is null ? CredentialProvider.ForLocal(server.HostPort) : CredentialProvider.ForLocal(server.HostPort, authToken);
        return TopicClient.Create(credentials, options with { ExtraHeaders = faults });
    }

    /// <summary>Fault-injection headers with a fresh <c>request-id</c>, so error and delay budgets are per test.</summary>
    public static Metadata Faults(params (string Key, string Value)[] headers)
    {
        var metadata = new Metadata { { "request-id", Guid.NewGuid().ToString("N") } };
        foreach (var (key, value) in headers)
        {
            metadata.Add(key, value);
        }

        return metadata;
    }

    /// <summary>The next event that is not a heartbeat; heartbeats alone do not keep it waiting past the default timeout.</summary>
    public static async Task<TopicEvent> NextNonHeartbeatAsync(this IAsyncEnumerator<TopicEvent> events)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (true)
        {
            Assert.True(await events.MoveNextAsync().AsTask().DefaultTimeout(), "The subscription ended unexpectedly.");
            if (events.Current is not TopicEvent.Heartbeat)
            {
                return events.Current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Only heartbeats arrived within the default timeout.");
            }
        }
    }

    /// <summary>Waits for the first heartbeat, which means the server has attached the subscriber.</summary>
    public static async Task ExpectHeartbeatAsync(this IAsyncEnumerator<TopicEvent> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().DefaultTimeout(), "The subscription ended unexpectedly.");
        Assert.IsType<TopicEvent.Heartbeat>(events.Current);
    }
}
