using Functions.Common.Configuration;
using Functions.Common.Momento;
using Functions.Common.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Momento.Topics.LocalServer;
using Publisher.Contracts;
using Publisher.Function;
using Publisher.Local.Internal;
using Publisher.Local.WebConsole;
using Subscriber.Function;

namespace Publisher.Local;

/// <summary>
/// The whole service on one machine: the embedded Topics server, and an HTTP API that turns each request into the
/// event its front door sends (a REST API proxy event by default; an HTTP API's or a function URL's 2.0 event), runs
/// the publisher or subscriber handler in-process, and answers as that door would.
/// </summary>
public sealed partial class LocalService : IAsyncDisposable
{
    private const string Stage = "local";

    /// <summary>API Gateway refuses request payloads over 10 MB.</summary>
    private const int ApiGatewayPayloadLimit = 10 * 1024 * 1024;

    // The deployed functions' timeouts: each invocation gets the same deadline here.
    private static readonly TimeSpan PublisherTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SubscriberTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _api;
    private readonly PublisherFunction _publisher;
    private readonly SubscriberFunction _subscriber;
    private readonly IdleMemoryTrim _idleTrim;

    private LocalService(
        WebApplication api, IdleMemoryTrim idleTrim, LocalConsole console, LocalTopicsServer? topics, PublisherFunction publisher, SubscriberFunction subscriber, string momentoTarget)
    {
        _api = api;
        _idleTrim = idleTrim;
        LiveConsole = console;
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

    /// <summary>The live console served at <c>GET /</c>.</summary>
    internal LocalConsole LiveConsole { get; }

    /// <summary>The API key <c>serve</c> demands, out of the process list (<c>--api-key</c> and <c>--api-key-file PATH</c> are the other ways); never printed.</summary>
    public const string ApiKeyVariable = "PUBLISHER_LOCAL_API_KEY";

    /// <summary>Starts the Topics server (unless the environment names a Momento), both functions and the HTTP API.</summary>
    public static async Task<LocalService> StartAsync(LocalServiceOptions options, CancellationToken cancellationToken = default)
    {
        LocalTopicsServer? topics = null;
        var environment = options.Environment;
        var usesEnvironmentMomento = new[] { EnvironmentVariables.ApiKey, EnvironmentVariables.ApiKeySecretId, EnvironmentVariables.LocalEndpoint }
            .Any(name => !string.IsNullOrWhiteSpace(environment(name)));
        if (!usesEnvironmentMomento)
        {
            // With a key, the Topics server asks for it too (in authorization, as Momento does): otherwise anyone on the
            // machine could read the topics the keyed API publishes, or fill the cache's subscription limit.
            var topicsOptions = new LocalTopicsServerOptions
            {
                Port = options.TopicsPort,
                Caches = [options.CacheName],
                HeartbeatInterval = options.HeartbeatInterval,
                RequiredApiKey = options.ApiKey,
            };
            topicsOptions = options.TopicsReplayBufferSize is { } replay ? topicsOptions with { ReplayBufferSize = replay } : topicsOptions;
            topics = await LocalTopicsServer.StartAsync(topicsOptions, cancellationToken).ConfigureAwait(false);
        }

        // The functions log as they do in Lambda; the console also shows their invocation records.
        var invocations = new InvocationFeed(options.Log);
        var log = new FunctionLog(invocations);
        var functions = new TaskCompletionSource<(PublisherFunction Publisher, SubscriberFunction Subscriber)>(TaskCreationOptions.RunContinuationsAsynchronously);
        WebApplication? api = null;
        LocalConsole? console = null;
        var idleTrim = new IdleMemoryTrim(options.Time, options.IdleTrim);
        try
        {
            // The API listens first: the functions' problem types point at its own /problems pages, whose address
            // (the port may be 0) is known only once it is bound. Requests wait for the functions.
            var bareEnv = Overlay(environment, topics, options.ApiKey, options.CacheName, null, null);
            var limits = PublisherSettings.FromEnvironment(bareEnv);

            // The console's subscriptions go where the publisher publishes, through a connection of their own.
            console = new LocalConsole(
                options.ApiKey, limits.Momento.CacheName, invocations,
                async ct =>
                {
                    if (options.ConsoleConnectDelay is { } delay)
                    {
                        await delay(ct).ConfigureAwait(false);
                    }

                    return await MomentoConnection.OpenAsync(limits.Momento, bareEnv, new FunctionLog(TextWriter.Null), cancellationToken: ct).ConfigureAwait(false);
                },
                options.ConsoleLimits);
            api = BuildApi(options, limits.MaxBodyBytes, functions.Task, console, idleTrim);
            await api.StartAsync(cancellationToken).ConfigureAwait(false);
            var problemTypes = LocalApiDocs.ProblemTypesFor(new Uri(api.Urls.First()));
            var publisherEnv = Overlay(environment, topics, options.ApiKey, options.CacheName, null, problemTypes);
            var subscriberEnv = Overlay(environment, topics, options.ApiKey, options.CacheName, options.SubscriberCacheName, problemTypes);
            var publisher = await PublisherFunction.InitializeAsync(publisherEnv, log, cancellationToken).ConfigureAwait(false);
            var subscriber = await SubscriberFunction.InitializeAsync(subscriberEnv, log, cancellationToken).ConfigureAwait(false);
            functions.SetResult((publisher, subscriber));
            return new LocalService(api, idleTrim, console, topics, publisher, subscriber, topics?.HostPort ?? "Momento (from the environment)");
        }
        catch
        {
            functions.TrySetCanceled(CancellationToken.None);
            if (api is not null)
            {
                await api.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await api.DisposeAsync().ConfigureAwait(false);
            }

            if (console is not null)
            {
                await console.DisposeAsync().ConfigureAwait(false);
            }

            if (topics is not null)
            {
                await topics.DisposeAsync().ConfigureAwait(false);
            }

            idleTrim.Dispose();
            throw;
        }
    }

    /// <summary>Runs one invocation of a function in-process, as Lambda would, and returns its response payload.</summary>
    public Task<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, bool subscriber, CancellationToken cancellationToken = default) =>
        Invoke(_publisher, _subscriber, payload, subscriber, cancellationToken);

    /// <summary>A ready-to-paste curl that publishes to this service; with a key, it reads it from <see cref="ApiKeyVariable"/> (never printed).</summary>
    public string SampleCurl(string? apiKey) =>
        $"curl -s -X POST {ApiUrl.ToString().TrimEnd('/')}/topics -H 'Content-Type: application/json'" +
        (apiKey is null ? string.Empty : $" -H \"x-api-key: ${ApiKeyVariable}\"") +
        " -d '{\"topicName\": \"my-topic\", \"topicValue\": \"hello from curl\"}'";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // First the console: its event streams would otherwise hold the API's shutdown open.
        await LiveConsole.DisposeAsync().ConfigureAwait(false);
        await _api.StopAsync().ConfigureAwait(false);
        await _api.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        _idleTrim.Dispose();
        if (TopicsServer is not null)
        {
            await TopicsServer.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A keyed embedded server is reached as Momento is, with the key (authorization) at a plaintext endpoint; a keyless
    // one as a local server.
    private static SettingsReader Overlay(
        Func<string, string?> environment, LocalTopicsServer? topics, string? apiKey, string cacheName, string? cacheOverride, string? problemTypes) =>
        new(name => name switch
        {
            EnvironmentVariables.CacheName => cacheOverride ?? (string.IsNullOrWhiteSpace(environment(name)) ? cacheName : environment(name)),
            EnvironmentVariables.LocalEndpoint when topics is not null => apiKey is null ? topics.HostPort : null,
            EnvironmentVariables.ApiKey when topics is not null && apiKey is not null => apiKey,
            EnvironmentVariables.Endpoint when topics is not null && apiKey is not null => "http://" + topics.HostPort,
            EnvironmentVariables.ProblemTypeBaseUri when problemTypes is not null => problemTypes,
            _ => environment(name),
        });

    private static WebApplication BuildApi(
        LocalServiceOptions options, int maxBody, Task<(PublisherFunction Publisher, SubscriberFunction Subscriber)> functions, LocalConsole console, IdleMemoryTrim idleTrim)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            // API Gateway's own payload limit. The app stops reading at the function's cap; after answering, Kestrel
            // discards (never buffers) the rest of a refused body up to this limit, so the client reads a clean 413
            // instead of a reset, and closes the connection beyond it.
            kestrel.Limits.MaxRequestBodySize = ApiGatewayPayloadLimit;
            // What Kestrel buffers per connection ahead of the app (default 1 MiB): a flood of large bodies on many
            // connections should not park megabytes per connection in its memory pool.
            kestrel.Limits.MaxRequestBufferSize = 64 * 1024;
            kestrel.AddServerHeader = false;
            kestrel.Listen(System.Net.IPAddress.Loopback, options.ApiPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(ErrorResponseShaper.Middleware(maxBody));
            });
        });
        var app = builder.Build();
        app.Use(console.Middleware);
        app.Run(context => HandleAsync(context, options.FrontDoor, options.ApiKey, maxBody, functions, idleTrim));
        return app;
    }
}
