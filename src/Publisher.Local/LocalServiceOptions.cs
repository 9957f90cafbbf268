using Publisher.Contracts;

namespace Publisher.Local;

/// <summary>How the local service runs: ports, cache, optional API key, and where Momento is.</summary>
public sealed record LocalServiceOptions
{
    /// <summary>Default port of the publish API.</summary>
    public const int DefaultApiPort = 3000;

    /// <summary>Default port of the embedded Topics server (the official emulator's port).</summary>
    public const int DefaultTopicsPort = 8080;

    /// <summary>Default cache of the embedded Topics server (the official emulator's).</summary>
    public const string DefaultCacheName = "default-cache";

    /// <summary>Port of the HTTP API on 127.0.0.1; 0 picks a free one.</summary>
    public int ApiPort { get; init; } = DefaultApiPort;

    /// <summary>Port of the embedded Topics server on 127.0.0.1; 0 picks a free one.</summary>
    public int TopicsPort { get; init; } = DefaultTopicsPort;

    /// <summary>The cache the embedded server declares and the functions use, unless the environment names one.</summary>
    public string CacheName { get; init; } = DefaultCacheName;

    /// <summary>
    /// Whose event shape the functions get (default the REST API's, payload 1.0): an HTTP API's or a function URL's
    /// (payload 2.0), as that door deployed sends it.
    /// </summary>
    public FrontDoor FrontDoor { get; init; } = FrontDoor.RestApi;

    /// <summary>When set, every request needs this value in <c>x-api-key</c>, as with the deployed API's key.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Environment lookup for the functions' settings. When it names a Momento key source
    /// (<c>MOMENTO_API_KEY</c>, <c>MOMENTO_API_KEY_SECRET_ID</c> or <c>MOMENTO_LOCAL_ENDPOINT</c>), that is used and no
    /// embedded server starts; otherwise the embedded Topics server is the target.
    /// </summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Overrides the subscriber's cache (tests use it to misconfigure a deployment on purpose).</summary>
    public string? SubscriberCacheName { get; init; }

    /// <summary>Items per topic the embedded Topics server keeps to serve resumes; null for its default (1024).</summary>
    public int? TopicsReplayBufferSize { get; init; }

    /// <summary>Bounds of the live console (pages, subscriptions, queued events); null for the defaults.</summary>
    internal WebConsole.ConsoleLimits? ConsoleLimits { get; init; }

    /// <summary>Awaited before the console opens its connection (tests hold it there to abort a subscribe mid-way); null: none.</summary>
    internal Func<CancellationToken, Task>? ConsoleConnectDelay { get; init; }

    /// <summary>The clock the idle memory trim waits on (tests advance a fake one).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>What the runner does once idle after large requests (tests count it instead).</summary>
    internal Action IdleTrim { get; init; } = Internal.IdleMemoryTrim.CollectAndDecommit;

    /// <summary>Heartbeat interval of the embedded Topics server.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the functions' JSON log lines go.</summary>
    public TextWriter Log { get; init; } = Console.Out;
}
