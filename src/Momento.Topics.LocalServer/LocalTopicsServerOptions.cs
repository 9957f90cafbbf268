using System.Net;

namespace Momento.Topics.LocalServer;

/// <summary>Settings of a <see cref="LocalTopicsServer"/>, validated once when the server starts.</summary>
public sealed record LocalTopicsServerOptions
{
    internal const string DefaultHost = "127.0.0.1";
    internal const int DefaultPort = 8080;
    internal const string DefaultCache = "default-cache";
    /// <summary>The default of <see cref="ReplayBufferSize"/>.</summary>
    public const int DefaultReplayBufferSize = 1024;
    internal const long DefaultMaxRetainedBytesPerCache = 256L * 1024 * 1024;
    internal const int DefaultSubscriberQueueCapacity = 1024;
    internal const long DefaultMaxItemBytesPerCache = 64L * 1024 * 1024;

    /// <summary>IP address (or <c>localhost</c>) to listen on. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; init; } = DefaultHost;

    /// <summary>TCP port to listen on; 0 picks a free ephemeral port. Default 8080.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Cache names that exist; any other name gets NOT_FOUND. Default <c>default-cache</c>.</summary>
    public IReadOnlyList<string> Caches { get; init; } = [DefaultCache];

    /// <summary>The <c>authorization</c> header value to require; <c>null</c> (default) accepts anything, empty included.</summary>
    public string? RequiredApiKey { get; init; }

    /// <summary>Time between heartbeats on a subscription stream. Default 1 second.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Items kept per topic to serve resumes (inclusive of the resume point). 0 disables replay.</summary>
    public int ReplayBufferSize { get; init; } = DefaultReplayBufferSize;

    /// <summary>Items queued per subscriber; on overflow the subscriber loses items and later gets a discontinuity. Default 1024.</summary>
    public int SubscriberQueueCapacity { get; init; } = DefaultSubscriberQueueCapacity;

    /// <summary>Concurrent subscriptions allowed per cache; more get RESOURCE_EXHAUSTED. Default 100, as the hosted service.</summary>
    public int MaxSubscriptionsPerCache { get; init; } = 100;

    /// <summary>
    /// Bytes one cache's topics may hold for replay (values plus a small overhead per topic and item); beyond it the
    /// least recently used topics without subscribers are forgotten, and a resume on one gets a discontinuity, as for
    /// a new incarnation. Default 256 MiB. It bounds memory against a flood of distinct topic names.
    /// </summary>
    public long MaxRetainedBytesPerCache { get; init; } = DefaultMaxRetainedBytesPerCache;

    /// <summary>
    /// Bytes one cache's key-value items may hold (keys, values and a small overhead per item); beyond it expired items,
    /// then those soonest to expire, are evicted, as a full cache evicts. Default 64 MiB.
    /// </summary>
    public long MaxItemBytesPerCache { get; init; } = DefaultMaxItemBytesPerCache;

    /// <summary>The clock of cache item TTLs and topic pages; tests pass a fake one to expire items. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Largest published value in bytes (text counted as UTF-8). Default 4096, the hosted service's limit.</summary>
    public int MaxValueBytes { get; init; } = 4096;

    /// <summary>
    /// Serve HTTP/2 over TLS (ALPN <c>h2</c>) instead of plaintext, with a certificate for <c>localhost</c>,
    /// <c>cache.localhost</c>, 127.0.0.1 and ::1 issued at start by a throwaway local CA. The CA's certificate is written
    /// as PEM to <see cref="TlsCaCertificatePath"/>, for clients to trust through their platform (on Linux,
    /// <c>SSL_CERT_FILE</c>); a client given the endpoint <c>localhost:PORT</c> connects to <c>https://cache.localhost:PORT</c>,
    /// as it connects to <c>cache.&lt;endpoint&gt;</c> in production. Default false.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>
    /// Where TLS mode writes the CA certificate (PEM), replacing the file; null (default) writes a new file in the
    /// temporary folder, deleted when the server is disposed. See <see cref="LocalTopicsServer.CaCertificatePath"/>.
    /// </summary>
    public string? TlsCaCertificatePath { get; init; }

    /// <summary>Lowest level the server logs (to standard error). Default <see cref="LogLevel.Warning"/>.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Where the server's log goes instead of standard error (tests record it); the caller disposes it. Default null: standard error.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Host must be an IP address or 'localhost'; set LocalTopicsServerOptions.Host.", nameof(Host));
        }
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 and 65535; set LocalTopicsServerOptions.Port.");
        }
        if (Caches is null || Caches.Count == 0)
        {
            throw new ArgumentException("At least one cache is needed; set LocalTopicsServerOptions.Caches.", nameof(Caches));
        }
        if (Caches.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Cache names must not be blank; fix LocalTopicsServerOptions.Caches.", nameof(Caches));
        }
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "HeartbeatInterval must be positive.");
        }
        if (ReplayBufferSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplayBufferSize), ReplayBufferSize, "ReplayBufferSize must not be negative.");
        }
        if (SubscriberQueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SubscriberQueueCapacity), SubscriberQueueCapacity, "SubscriberQueueCapacity must be at least 1.");
        }
        if (MaxSubscriptionsPerCache < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSubscriptionsPerCache), MaxSubscriptionsPerCache, "MaxSubscriptionsPerCache must be at least 1.");
        }
        if (MaxRetainedBytesPerCache < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetainedBytesPerCache), MaxRetainedBytesPerCache, "MaxRetainedBytesPerCache must be at least 1.");
        }
        if (MaxItemBytesPerCache < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxItemBytesPerCache), MaxItemBytesPerCache, "MaxItemBytesPerCache must be at least 1.");
        }
        if (TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider must not be null.", nameof(TimeProvider));
        }
        if (MaxValueBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxValueBytes), MaxValueBytes, "MaxValueBytes must not be negative.");
        }
        if (TlsCaCertificatePath is not null && !Tls)
        {
            throw new ArgumentException("TlsCaCertificatePath is for the TLS mode; set LocalTopicsServerOptions.Tls too.", nameof(TlsCaCertificatePath));
        }
        if (Tls && !ServesTheLoopback(Host))
        {
            throw new ArgumentException(
                "The TLS mode's certificate covers only this machine's loopback names; listen on 127.0.0.1, ::1, localhost or a wildcard address.", nameof(Host));
        }
    }

    /// <summary>Whether listening on <paramref name="host"/> serves the loopback, which the TLS mode's certificate covers; an
    /// address that does not parse is left to the host's own check.</summary>
    internal static bool ServesTheLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || !IPAddress.TryParse(host.Trim('[', ']'), out var address)
        || IPAddress.IsLoopback(address)
        || address.Equals(IPAddress.Any)
        || address.Equals(IPAddress.IPv6Any);
}
