using System.Text;
using System.Text.Json;
using Functions.Common.Configuration;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Grpc.Core;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Contracts;

namespace Publisher.Function.Tests.Support;

/// <summary>A <see cref="PublisherFunction"/> in the test process, with its log captured and a way to invoke it like the runtime does.</summary>
internal sealed class FunctionHost : IAsyncDisposable
{
    public const string CacheName = "test-cache";

    /// <summary>The warning init's Ping logs when it fails.</summary>
    public const string WarmUpFailed = "Momento connection warm-up failed; the first call will connect";

    private FunctionHost(PublisherFunction function, LineWriter log)
    {
        Function = function;
        Log = log;
    }

    public PublisherFunction Function { get; }

    public LineWriter Log { get; }

    /// <summary>Settings that point the function at a local Topics server.</summary>
    public static Dictionary<string, string?> LocalSettings(string hostPort, string cacheName = CacheName) => new()
    {
        [EnvironmentVariables.LocalEndpoint] = hostPort,
        [EnvironmentVariables.CacheName] = cacheName,
    };

    public static Dictionary<string, string?> LocalSettings(LocalTopicsServer server, string cacheName = CacheName) =>
        LocalSettings(server.HostPort, cacheName);

    /// <summary>
    /// A bootstrap process's environment for the production path: the key and endpoint as on AWS (https to
    /// <c>cache.&lt;endpoint&gt;</c>), and only the given trust (<c>SSL_CERT_FILE</c>, <c>SSL_CERT_DIR</c>); nothing else
    /// inherited from the machine running the tests.
    /// </summary>
    public static Dictionary<string, string?> ProductionEnvironment(string apiKey, string momentoEndpoint, IReadOnlyDictionary<string, string?> trust)
    {
        var environment = new Dictionary<string, string?>
        {
            [EnvironmentVariables.ApiKey] = apiKey,
            [EnvironmentVariables.Endpoint] = momentoEndpoint,
            [EnvironmentVariables.CacheName] = CacheName,
            [EnvironmentVariables.LocalEndpoint] = null,
            [EnvironmentVariables.ApiKeySecretId] = null,
            ["AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE"] = null,
            ["SSL_CERT_FILE"] = null,
            ["SSL_CERT_DIR"] = null,
        };
        foreach (var (name, value) in trust)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static SettingsReader Reader(IReadOnlyDictionary<string, string?> settings) =>
        new(name => settings.TryGetValue(name, out var value) ? value : null);

    /// <summary>The real init path: <see cref="PublisherFunction.InitializeAsync"/>.</summary>
    public static async Task<FunctionHost> InitializeAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var log = new LineWriter();
        var function = await PublisherFunction.InitializeAsync(Reader(settings), new FunctionLog(log), CancellationToken.None).DefaultTimeout();
        return new FunctionHost(function, log);
    }

    /// <summary>Builds the function over a connection with custom client options (fault-injection headers).</summary>
    public static async Task<FunctionHost> OpenAsync(IReadOnlyDictionary<string, string?> settings, TopicClientOptions options)
    {
        var log = new LineWriter();
        var functionLog = new FunctionLog(log);
        var publisherSettings = PublisherSettings.FromEnvironment(Reader(settings));
        var connection = await MomentoConnection.OpenAsync(publisherSettings.Momento, Reader(settings), functionLog, options).DefaultTimeout();
        return new FunctionHost(new PublisherFunction(publisherSettings, connection, functionLog), log);
    }

    /// <summary>Client options whose every call carries the local server's fault-injection headers (with a fresh request-id, so counters are per test).</summary>
    public static TopicClientOptions FaultHeaders(params (string Name, string Value)[] headers)
    {
        var metadata = new Metadata { { "request-id", Guid.NewGuid().ToString("N") } };
        foreach (var (name, value) in headers)
        {
            metadata.Add(name, value);
        }

        return TopicClientOptions.Lambda() with { ExtraHeaders = metadata };
    }

    /// <summary>Invokes the handler as the runtime loop would, with <paramref name="remaining"/> until the deadline.</summary>
    public async Task<Invocation> InvokeAsync(string eventJson, TimeSpan? remaining = null, string? traceId = null)
    {
        var mark = Log.Count;
        var context = new TestLambdaContext(remaining ?? TimeSpan.FromSeconds(30), traceId);
        await using var output = await Function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(eventJson)), context).DefaultTimeout();
        using var reader = new StreamReader(output, Encoding.UTF8);
        return new Invocation(context.AwsRequestId, ApiResult.Parse(await reader.ReadToEndAsync()), Log.Since(mark));
    }

    /// <summary>Disposes the function, then fails the test on an ERROR line it did not declare (<see cref="LineWriter.ExpectErrors(string)"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await Function.DisposeAsync();
        Log.AssertNoUnexpectedErrors();
    }
}

/// <summary>One handler invocation: its response and the log lines written meanwhile.</summary>
internal sealed record Invocation(string RequestId, ApiResult Response, IReadOnlyList<string> LogLines)
{
    /// <summary>The one <c>invocation</c> log line (asserts there is exactly one).</summary>
    public JsonElement Record
    {
        get
        {
            var records = LogLines
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Where(e => e.GetProperty("message").GetString() == "invocation")
                .ToList();
            return Assert.Single(records);
        }
    }

    public string AllLog => string.Join('\n', LogLines);

    /// <summary>Names of the metrics the record's EMF directive declares.</summary>
    public IReadOnlyList<string> MetricNames => Record.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
        .SelectMany(group => group.GetProperty("Metrics").EnumerateArray())
        .Select(metric => metric.GetProperty("Name").GetString()!)
        .ToList();

    /// <summary>Dimension sets of the record's EMF directive, flattened to "a,b" strings.</summary>
    public IReadOnlyList<string> DimensionSets => Record.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
        .SelectMany(group => group.GetProperty("Dimensions").EnumerateArray())
        .Select(set => string.Join(',', set.EnumerateArray().Select(d => d.GetString())))
        .ToList();
}
