using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Momento.Topics.LocalServer.Internal;

namespace Momento.Topics.LocalServer;

/// <summary>A local Momento-Topics-compatible gRPC server (HTTP/2, plaintext or TLS) for tests and local runs.</summary>
public sealed partial class LocalTopicsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TopicHub _hub;
    private readonly ConnectionCounter _connections;
    private readonly X509Certificate2? _certificate;
    private readonly bool _ownsCaCertificateFile;
    private int _stopped;

    private LocalTopicsServer(
        WebApplication app, TopicHub hub, ConnectionCounter connections, string hostPort, int port, X509Certificate2? certificate, string? caCertificatePath, bool ownsCaCertificateFile)
    {
        _app = app;
        _hub = hub;
        _connections = connections;
        _certificate = certificate;
        _ownsCaCertificateFile = ownsCaCertificateFile;
        HostPort = hostPort;
        Port = port;
        CaCertificatePath = caCertificatePath;
        var portText = port.ToString(CultureInfo.InvariantCulture);
        Endpoint = caCertificatePath is null ? new Uri("http://" + hostPort) : new Uri("https://localhost:" + portText);
        MomentoEndpoint = caCertificatePath is null ? Endpoint.ToString().TrimEnd('/') : "localhost:" + portText;
    }

    /// <summary>Base address clients connect to, e.g. <c>http://127.0.0.1:54321</c>, or <c>https://localhost:54321</c> in TLS mode.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// The Momento endpoint for this server (<c>MOMENTO_ENDPOINT</c>, or the endpoint of <c>CredentialProvider.FromApiKey</c>):
    /// <c>http://127.0.0.1:54321</c> in plaintext; <c>localhost:54321</c> in TLS mode, which a Momento client turns into
    /// <c>https://cache.localhost:54321</c> as it turns a hosted endpoint into its <c>cache.</c> host.
    /// </summary>
    public string MomentoEndpoint { get; }

    /// <summary>Host and port clients connect to, e.g. <c>127.0.0.1:54321</c>.</summary>
    public string HostPort { get; }

    /// <summary>The bound TCP port (the real one when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>In TLS mode, the PEM file of the CA that issued the server's certificate, for clients to trust; null in plaintext.</summary>
    public string? CaCertificatePath { get; }

    /// <summary>TCP connections accepted so far.</summary>
    public long ConnectionsAccepted => _connections.Accepted;

    /// <summary>In TLS mode, the completed handshakes so far: the server name each client sent (SNI) and the protocol agreed (ALPN).</summary>
    public IReadOnlyList<TlsHandshake> TlsHandshakes => _connections.TlsHandshakes;

    /// <summary>Starts a server and returns once it listens.</summary>
    /// <param name="options">Settings; <c>null</c> uses the defaults (127.0.0.1:8080, cache <c>default-cache</c>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LocalTopicsServer> StartAsync(
        LocalTopicsServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new LocalTopicsServerOptions();
        options.Validate();
        var address = ResolveAddress(options.Host);
        var connections = new ConnectionCounter();
        var hub = new TopicHub(options, options.TimeProvider);
        var (certificate, caCertificatePath) = options.Tls ? IssueCertificate(options) : (null, null);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Only the endpoint configured below: blank out ASPNETCORE_URLS / HTTP_PORTS of the
            // environment (host settings are read from the arguments, so this is the place).
            Args = ["--urls=", "--http_ports=", "--https_ports="],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (options.LoggerProvider is { } provider)
        {
            builder.Logging.AddProvider(new CallerOwnedLoggerProvider(provider));
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        // Logs go to stderr so stdout carries only the program's own output.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // A failed start surfaces as the exception StartAsync throws; the host's stack-trace log repeats it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            RequestLimits.Apply(kestrel.Limits, options);
            // A stalled subscriber is handled by its bounded queue, not by killing its connection.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection =>
                {
                    connections.Increment();
                    return next(connection);
                });
                if (certificate is not null)
                {
                    // HTTP/2 only, so ALPN offers h2 alone.
                    listen.UseHttps(certificate);
                    listen.Use(next => connection =>
                    {
                        var tls = connection.Features.Get<ISslStreamFeature>()?.SslStream;
                        var protocol = tls?.NegotiatedApplicationProtocol.ToString();
                        connections.AddTlsHandshake(new TlsHandshake(NullIfEmpty(tls?.TargetHostName), NullIfEmpty(protocol)));
                        return next(connection);
                    });
                }
            });
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(hub);
        builder.Services.AddSingleton<FaultCounters>();
        builder.Services.AddSingleton<ServerStopSignal>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<CallPolicyInterceptor>();
            grpc.MaxReceiveMessageSize = RequestLimits.MaxMessageBytes(options);
            // Replaces the default gzip and deflate, whose output gRPC does not bound.
            foreach (var compression in RequestLimits.BoundedCompressions(options))
            {
                grpc.CompressionProviders.Add(compression);
            }
        });

        var app = builder.Build();
        app.Use(FrameHeaderCheck.Middleware(options));
        app.MapGrpcService<PubsubService>();
        app.MapGrpcService<PingService>();
        app.MapGrpcService<CacheService>();

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            if (options.TlsCaCertificatePath is null && caCertificatePath is not null)
            {
                File.Delete(caCertificatePath);
            }

            throw;
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        var connectHost = ConnectableHost(address);
        var hostPort = connectHost + ":" + bound.Port.ToString(CultureInfo.InvariantCulture);
        var server = new LocalTopicsServer(app, hub, connections, hostPort, bound.Port, certificate, caCertificatePath, ownsCaCertificateFile: options.TlsCaCertificatePath is null);
        Log.Listening(
            app.Services.GetRequiredService<ILogger<LocalTopicsServer>>(),
            server.Endpoint,
            string.Join(", ", options.Caches));
        return server;
    }

    /// <summary>
    /// Starts a new incarnation of a topic: a new, larger sequence page, numbers restarting at 1 and an
    /// empty replay buffer. Open subscribers get a discontinuity; resumes on the old page get one too.
    /// </summary>
    /// <param name="cacheName">A declared cache.</param>
    /// <param name="topic">The topic to reset; created if unused.</param>
    public void ResetTopic(string cacheName, string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (!_hub.TryGetCache(cacheName, out var cache))
        {
            throw new ArgumentException("The cache '" + cacheName + "' was not declared in LocalTopicsServerOptions.Caches.", nameof(cacheName));
        }
        cache.GetTopic(topic).Reset(_hub.NextPage());
    }

    /// <summary>Ends open subscription streams with UNAVAILABLE, then stops listening.</summary>
    /// <param name="cancellationToken">Cuts the graceful wait for open requests short.</param>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _stopped, 1);
        return _app.StopAsync(cancellationToken);
    }

    /// <summary>Stops the server if still running and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
        if (_ownsCaCertificateFile && CaCertificatePath is not null)
        {
            File.Delete(CaCertificatePath);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The TLS mode's server certificate, and the file its CA certificate was written to.</summary>
    private static (X509Certificate2, string) IssueCertificate(LocalTopicsServerOptions options)
    {
        var (certificate, caPem) = LocalCertificates.Issue(TimeProvider.System);
        var path = options.TlsCaCertificatePath ?? Path.Combine(Path.GetTempPath(), "momento-local-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, caPem);
        return (certificate, path);
    }

    private static IPAddress ResolveAddress(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel cannot bind "localhost" to an ephemeral port, so use the IPv4 loopback.
            return IPAddress.Loopback;
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? address
            : throw new ArgumentException("Host must be an IP address or 'localhost'; '" + host + "' is neither.", nameof(host));
    }

    /// <summary>A wildcard bind is reached through the loopback address of the same family.</summary>
    private static string ConnectableHost(IPAddress address)
    {
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[" + address + "]"
            : address.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, EventName = "Listening", Level = LogLevel.Information, Message = "Momento Topics local server listening on {Endpoint} (caches: {Caches})")]
        public static partial void Listening(ILogger logger, Uri endpoint, string caches);
    }
}
