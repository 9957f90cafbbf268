using Grpc.Core;

namespace Momento.Topics.Client;

/// <summary>
/// Timeouts and clock of a <see cref="TopicClient"/>. Immutable; change it with <c>with</c>.
/// <see cref="TopicClient.Create(CredentialProvider, TopicClientOptions?)"/> rejects any non-positive time span.
/// </summary>
public sealed record TopicClientOptions
{
    internal static readonly TimeSpan DefaultPublishTimeout = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan DefaultIdleConnectionRecycleAfter = TimeSpan.FromMinutes(4);
    internal static readonly TimeSpan DefaultFirstHeartbeatTimeout = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan DefaultResubscribeDelay = TimeSpan.FromMilliseconds(500);
    internal static readonly TimeSpan MaxTimeSpan = TimeSpan.FromDays(24);

    /// <summary>The whole-publish deadline, shared by its one possible retry. Default: 5 s.</summary>
    public TimeSpan PublishTimeout { get; init; } = DefaultPublishTimeout;

    /// <summary>The limit for opening a TCP (and TLS) connection, and for the ping of <see cref="TopicClient.ConnectAsync"/>. Default: 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>
    /// After this long without calls the next call first replaces the connection, since the service's load
    /// balancer silently drops connections idle for about 350 s. Default: 4 min.
    /// </summary>
    public TimeSpan IdleConnectionRecycleAfter { get; init; } = DefaultIdleConnectionRecycleAfter;

    /// <summary>How long a new subscription stream may take to send its first heartbeat before it is retried. Default: 5 s.</summary>
    public TimeSpan FirstHeartbeatTimeout { get; init; } = DefaultFirstHeartbeatTimeout;

    /// <summary>The pause before a failed subscription stream is resumed. Default: 500 ms.</summary>
    public TimeSpan ResubscribeDelay { get; init; } = DefaultResubscribeDelay;

    /// <summary>
    /// The clock for idle recycling, heartbeat timeouts and resubscribe delays. gRPC deadlines always use the
    /// system clock, as grpc-dotnet does. Default: <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Below this much time left before the publish deadline, a retry could not finish, so it is not tried.</summary>
    internal TimeSpan MinRetryBudget { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Headers added to every call; null (the default) adds none. Meant for testing against the local Topics
    /// server, whose fault-injection headers (<c>return-error</c>, <c>delay-ms</c>, ...) make it misbehave on purpose.
    /// </summary>
    public Metadata? ExtraHeaders { get; init; }

    /// <summary>Test hook: replaces the socket handler, for conditions a real server cannot produce.</summary>
    internal Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    /// <summary>
    /// The preset for an AWS Lambda that keeps one client per execution environment: the defaults above
    /// (publish 5 s, connect 5 s, recycle after 4 min idle, first heartbeat 5 s, resubscribe after 500 ms),
    /// with HTTP/2 keepalive pings off, since a frozen environment misses their acknowledgement. There is no
    /// reconnect backoff: the client connects on demand (no gRPC balancer), so the first call after an outage
    /// connects, and a call while the service is down fails as soon as its connection attempt does.
    /// </summary>
    public static TopicClientOptions Lambda() => new();

    internal void Validate()
    {
        RequirePositive(PublishTimeout, nameof(PublishTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(IdleConnectionRecycleAfter, nameof(IdleConnectionRecycleAfter));
        RequirePositive(FirstHeartbeatTimeout, nameof(FirstHeartbeatTimeout));
        RequirePositive(ResubscribeDelay, nameof(ResubscribeDelay));
        if (TimeProvider is null)
        {
            throw new ArgumentException($"{nameof(TopicClientOptions)}.{nameof(TimeProvider)} must not be null; use TimeProvider.System.", nameof(TimeProvider));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        // Timers cannot wait longer than int.MaxValue milliseconds.
        if (value <= TimeSpan.Zero || value > MaxTimeSpan)
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                $"{nameof(TopicClientOptions)}.{name} must be a positive time span of at most 24 days.");
        }
    }
}
