using Functions.Common.Configuration;
using Functions.Common.Http;
using Functions.Common.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Momento.Topics.LocalServer;
using Publisher.Function;
using Subscriber.Function;

namespace Publisher.Local;

/// <summary>
/// The whole service on one machine: the embedded Topics server, and an HTTP API that turns each request
/// into a REST API proxy event, runs the publisher or subscriber handler in-process, and answers as API Gateway would.
/// </summary>
public sealed class LocalService : IAsyncDisposable
{
    private const string Stage = "local";

    // The deployed functions' timeouts: each invocation gets the same deadline here.
    private static readonly TimeSpan PublisherTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SubscriberTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _api;
    private readonly PublisherFunction _publisher;
    private readonly SubscriberFunction _subscriber;

    private LocalService(WebApplication api, LocalTopicsServer? topics, PublisherFunction publisher, SubscriberFunction subscriber, string momentoTarget)
    {
        _api = api;
        TopicsServer = topics;
        _publisher = publisher;
        _subscriber = subscriber;
        MomentoTarget = momentoTarget;
        ApiUrl = new Uri(api.Urls.First());
    }

    /// <summary>Base URL of the HTTP API, e.g. http://127.0.0.1:3000.</summary>
    public Uri ApiUrl { get; }

    /// <summary>The embedded Topics server, or null when the environment points at another Momento.</summary>
    public LocalTopicsServer? TopicsServer { get; }

    /// <summary>Where publishes go, for the startup banner: the embedded server's address or "Momento".</summary>
    public string MomentoTarget { get; }

    /// <summary>The publisher's settings (limits) as configured.</summary>
    public PublisherSettings PublisherSettings => _publisher.Settings;

    /// <summary>Starts the Topics server (unless the environment names a Momento), both functions and the HTTP API.</summary>
    public static async Task<LocalService> StartAsync(LocalServiceOptions options, CancellationToken cancellationToken = default)
    {
        LocalTopicsServer? topics = null;
        var environment = options.Environment;
        var usesEnvironmentMomento = new[] { EnvironmentVariables.ApiKey, EnvironmentVariables.ApiKeySecretId, EnvironmentVariables.LocalEndpoint }
            .Any(name => !string.IsNullOrWhiteSpace(environment(name)));
        if (!usesEnvironmentMomento)
        {
            topics = await LocalTopicsServer.StartAsync(
                new LocalTopicsServerOptions { Port = options.TopicsPort, Caches = [options.CacheName], HeartbeatInterval = options.HeartbeatInterval },
                cancellationToken).ConfigureAwait(false);
        }

        var log = new FunctionLog(options.Log);
        try
        {
            var publisherEnv = Overlay(environment, topics, options.CacheName, null);
            var subscriberEnv = Overlay(environment, topics, options.CacheName, options.SubscriberCacheName);
            var publisher = await PublisherFunction.InitializeAsync(publisherEnv, log, cancellationToken).ConfigureAwait(false);
            var subscriber = await SubscriberFunction.InitializeAsync(subscriberEnv, log, cancellationToken).ConfigureAwait(false);
            var api = BuildApi(options, publisher, subscriber);
            await api.StartAsync(cancellationToken).ConfigureAwait(false);
            return new LocalService(api, topics, publisher, subscriber, topics?.HostPort ?? "Momento (from the environment)");
        }
        catch
        {
            if (topics is not null)
            {
                await topics.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Runs one invocation of a function in-process, as Lambda would, and returns its response payload.</summary>
    public Task<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, bool subscriber, CancellationToken cancellationToken = default) =>
        Invoke(_publisher, _subscriber, payload, subscriber, cancellationToken);

    /// <summary>A ready-to-paste curl that publishes to this service.</summary>
    public string SampleCurl(string? apiKey) =>
        $"curl -s -X POST {ApiUrl.ToString().TrimEnd('/')}/topics -H 'Content-Type: application/json'" +
        (apiKey is null ? string.Empty : $" -H 'x-api-key: {apiKey}'") +
        " -d '{\"topicName\": \"my-topic\", \"topicValue\": \"hello from curl\"}'";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _api.StopAsync().ConfigureAwait(false);
        await _api.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        if (TopicsServer is not null)
        {
            await TopicsServer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SettingsReader Overlay(Func<string, string?> environment, LocalTopicsServer? topics, string cacheName, string? cacheOverride) =>
        new(name => name switch
        {
            EnvironmentVariables.CacheName => cacheOverride ?? (string.IsNullOrWhiteSpace(environment(name)) ? cacheName : environment(name)),
            EnvironmentVariables.LocalEndpoint when topics is not null => topics.HostPort,
            _ => environment(name),
        });

    private static WebApplication BuildApi(LocalServiceOptions options, PublisherFunction publisher, SubscriberFunction subscriber)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.ApiPort));
        var app = builder.Build();
        var maxBody = publisher.Settings.MaxBodyBytes;
        app.Run(async context =>
        {
            var aborted = context.RequestAborted;
            if (options.ApiKey is not null && context.Request.Headers["x-api-key"].ToString() != options.ApiKey)
            {
                // API Gateway answers a missing or wrong key with 403 before any function runs.
                var forbidden = new Problem(HttpContract.ProblemTypes.Unauthorized, "Forbidden.", 403, "A valid API key is required in the x-api-key header.");
                await WriteApiResponseAsync(context.Response, forbidden.ToResponse(null), aborted).ConfigureAwait(false);
                return;
            }

            var proxyEvent = await RestApiEmulation.ToEventAsync(context.Request, Stage, maxBody, aborted).ConfigureAwait(false);
            var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(proxyEvent, RestApiJsonContext.Default.APIGatewayProxyRequest);
            var result = await Invoke(publisher, subscriber, payload, proxyEvent.Resource == "/verify", aborted).ConfigureAwait(false);
            await RestApiEmulation.WriteResponseAsync(result, context.Response, aborted).ConfigureAwait(false);
        });
        return app;
    }

    private static async Task<ReadOnlyMemory<byte>> Invoke(
        PublisherFunction publisher, SubscriberFunction subscriber, ReadOnlyMemory<byte> payload, bool toSubscriber, CancellationToken cancellationToken)
    {
        using var input = new MemoryStream(payload.ToArray(), writable: false);
        var context = toSubscriber ? new LocalLambdaContext("subscriber", SubscriberTimeout) : new LocalLambdaContext("publisher", PublisherTimeout);
        await using var output = toSubscriber
            ? await subscriber.HandleAsync(input, context, cancellationToken).ConfigureAwait(false)
            : await publisher.HandleAsync(input, context, cancellationToken).ConfigureAwait(false);
        using var copy = new MemoryStream();
        await output.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }

    private static async Task WriteApiResponseAsync(HttpResponse response, ApiResponse api, CancellationToken cancellationToken)
    {
        response.StatusCode = api.StatusCode;
        response.ContentType = api.ContentType;
        await response.Body.WriteAsync(api.Body, cancellationToken).ConfigureAwait(false);
    }
}
