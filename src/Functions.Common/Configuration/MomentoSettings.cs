using Publisher.Contracts;

namespace Functions.Common.Configuration;

/// <summary>Where the function finds Momento: exactly one key source, the cache, and call limits.</summary>
public sealed record MomentoSettings
{
    /// <summary>Default publish timeout when <c>PUBLISH_TIMEOUT_MS</c> is unset.</summary>
    public const int DefaultPublishTimeoutMs = 5000;

    /// <summary>Default idle time after which the connection is recycled (below the ~350 s load balancer cut).</summary>
    public const int DefaultIdleRecycleSeconds = 240;

    /// <summary>The Momento cache the topics live in.</summary>
    public required string CacheName { get; init; }

    /// <summary>Where the API key comes from.</summary>
    public required MomentoKeySource KeySource { get; init; }

    /// <summary>The Momento endpoint for v2 keys (e.g. <c>cell-us-east-1-1.prod.a.momentohq.com</c>), or null.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Upper bound of one publish call.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromMilliseconds(DefaultPublishTimeoutMs);

    /// <summary>Idle time after which the next call opens a fresh connection first.</summary>
    public TimeSpan IdleRecycleAfter { get; init; } = TimeSpan.FromSeconds(DefaultIdleRecycleSeconds);

    /// <summary>Reads and validates the settings; contradictions fail with a <see cref="ConfigurationException"/>.</summary>
    public static MomentoSettings FromEnvironment(SettingsReader env)
    {
        var secretId = env.Optional(EnvironmentVariables.ApiKeySecretId);
        var apiKey = env.Optional(EnvironmentVariables.ApiKey);
        var local = env.Optional(EnvironmentVariables.LocalEndpoint);
        var given = (secretId is null ? 0 : 1) + (apiKey is null ? 0 : 1) + (local is null ? 0 : 1);
        if (given != 1)
        {
            throw new ConfigurationException(
                $"Exactly one Momento key source must be set: {EnvironmentVariables.ApiKeySecretId} (a Secrets Manager secret id), " +
                $"{EnvironmentVariables.ApiKey} (the key itself) or {EnvironmentVariables.LocalEndpoint} (host:port of a local Topics server); " +
                $"{(given == 0 ? "none is set" : "more than one is set")}.");
        }

        MomentoKeySource source = secretId is not null
            ? new MomentoKeySource.Secret(secretId)
            : apiKey is not null
                ? new MomentoKeySource.Direct(apiKey)
                : new MomentoKeySource.Local(ValidateHostPort(local!));

        return new MomentoSettings
        {
            CacheName = env.Required(EnvironmentVariables.CacheName, "the name of the Momento cache to publish to"),
            KeySource = source,
            Endpoint = env.Optional(EnvironmentVariables.Endpoint),
            PublishTimeout = TimeSpan.FromMilliseconds(env.Int32(EnvironmentVariables.PublishTimeoutMs, DefaultPublishTimeoutMs, 50, 60_000)),
            IdleRecycleAfter = TimeSpan.FromSeconds(env.Int32(EnvironmentVariables.IdleRecycleSeconds, DefaultIdleRecycleSeconds, 1, 3_600)),
        };
    }

    private static string ValidateHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ConfigurationException($"{EnvironmentVariables.LocalEndpoint} must be host:port, such as 127.0.0.1:8080; it is '{value}'.");
        }

        return value;
    }
}

/// <summary>Where the Momento API key comes from.</summary>
public abstract record MomentoKeySource
{
    private protected MomentoKeySource()
    {
    }

    /// <summary>A Secrets Manager secret read through the Parameters and Secrets extension.</summary>
    public sealed record Secret(string SecretId) : MomentoKeySource;

    /// <summary>The key given directly (development only: it sits in the environment).</summary>
    public sealed record Direct(string ApiKey) : MomentoKeySource
    {
        /// <inheritdoc />
        public override string ToString() => "Direct { ApiKey = *** }";
    }

    /// <summary>A local Topics server over plaintext, no key.</summary>
    public sealed record Local(string HostPort) : MomentoKeySource;
}
