using System.Text;
using System.Text.Json;
using Functions.Common.Configuration;
using Functions.Common.Observability;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Contracts;

namespace Subscriber.Function.Tests.Infrastructure;

/// <summary>A local Topics server on port 0 (fast heartbeats), the subscriber function over it, and a publishing client.</summary>
internal sealed class SubscriberHarness : IAsyncDisposable
{
    public const string Cache = "test-cache";
    public const int MaxListenMs = 5000;
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(50);

    private SubscriberHarness(LocalTopicsServer server, SubscriberFunction function, TopicClient publisher, LineWriter log, TimeProvider? time)
    {
        Time = time;
        Server = server;
        Function = function;
        Publisher = publisher;
        Log = log;
    }

    public LocalTopicsServer Server { get; }

    public SubscriberFunction Function { get; }

    public TopicClient Publisher { get; }

    public LineWriter Log { get; }

    /// <summary>The function's clock (and the invocations' deadlines); null: the system clock.</summary>
    public TimeProvider? Time { get; }

    /// <summary>The local Topics server's log.</summary>
    public ServerLog ServerLog { get; private init; } = new();

    public static async Task<SubscriberHarness> StartAsync(string functionCache = Cache, TimeProvider? time = null, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var serverLog = new ServerLog();
        var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [Cache], HeartbeatInterval = HeartbeatInterval, LoggerProvider = serverLog });
        var log = new LineWriter();
        var environment = new Dictionary<string, string>
        {
            [EnvironmentVariables.LocalEndpoint] = server.HostPort,
            [EnvironmentVariables.CacheName] = functionCache,
            [EnvironmentVariables.VerifyMaxListenMs] = MaxListenMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var function = await SubscriberFunction.InitializeAsync(new SettingsReader(environment.GetValueOrDefault), new FunctionLog(log), CancellationToken.None, time);
        var publisher = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort));
        return new SubscriberHarness(server, function, publisher, log, time) { ServerLog = serverLog };
    }

    public static string NewTopic() => "topic-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Runs one invocation with the given payload and a deadline <paramref name="timeout"/> away.</summary>
    public async Task<byte[]> InvokeAsync(string payload, TimeSpan? timeout = null)
    {
        var context = new TestLambdaContext(timeout ?? TimeSpan.FromSeconds(30), time: Time);
        await using var response = await Function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(payload)), context);
        using var copy = new MemoryStream();
        await response.CopyToAsync(copy);
        return copy.ToArray();
    }

    public async Task<JsonElement> InvokeDirectAsync(string payload, TimeSpan? timeout = null)
    {
        var response = await InvokeAsync(payload, timeout);
        using var document = JsonDocument.Parse(response);
        return document.RootElement.Clone();
    }

    /// <summary>Completes once the function's subscription to <paramref name="topic"/> logged its first heartbeat (it is attached then).</summary>
    public Task<string> SubscribedAsync(string topic) => Log.WaitForLineAsync(line => IsEvent(line, topic, "heartbeat"));

    public Task<string> EventLoggedAsync(string topic, string kind) => Log.WaitForLineAsync(line => IsEvent(line, topic, kind));

    public static bool IsEvent(string line, string topic, string kind) =>
        line.Contains("\"message\":\"topic event\"", StringComparison.Ordinal)
        && line.Contains("\"topic\":\"" + topic + "\"", StringComparison.Ordinal)
        && line.Contains("\"kind\":\"" + kind + "\"", StringComparison.Ordinal);

    public async Task PublishAsync(string topic, string value) =>
        Assert.IsType<TopicPublishResponse.Success>(await Publisher.PublishAsync(Cache, topic, value).DefaultTimeout());

    public async Task PublishAsync(string topic, byte[] value) =>
        Assert.IsType<TopicPublishResponse.Success>(await Publisher.PublishAsync(Cache, topic, value).DefaultTimeout());

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Function.DisposeAsync();
        await Server.DisposeAsync();
        Log.AssertNoUnexpectedErrors();
        ServerLog.AssertNoUnexpectedErrors();
    }
}
