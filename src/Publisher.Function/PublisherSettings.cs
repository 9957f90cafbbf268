using Functions.Common.Configuration;
using Functions.Common.Http;
using Publisher.Contracts;

namespace Publisher.Function;

/// <summary>The publisher's request limits and topic allowlist, read once in the init phase.</summary>
public sealed record PublisherSettings
{
    /// <summary>Time kept back from the invocation deadline so the function always answers before Lambda stops it.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>Where and how to reach Momento.</summary>
    public required MomentoSettings Momento { get; init; }

    /// <summary>Largest value in bytes (text counted as UTF-8); default <see cref="HttpContract.MaxValueBytes"/>.</summary>
    public int MaxValueBytes { get; init; } = HttpContract.MaxValueBytes;

    /// <summary>Largest request body in bytes; default <see cref="HttpContract.MaxBodyBytes"/>.</summary>
    public int MaxBodyBytes { get; init; } = HttpContract.MaxBodyBytes;

    /// <summary>Most messages in one batch; default <see cref="HttpContract.MaxBatchMessages"/>.</summary>
    public int MaxBatchMessages { get; init; } = HttpContract.MaxBatchMessages;

    /// <summary>Topic-name prefixes allowed; empty allows every topic.</summary>
    public IReadOnlyList<string> AllowedTopicPrefixes { get; init; } = [];

    /// <summary>How long a keyed publish's answer is kept for replay; default <see cref="HttpContract.DefaultIdempotencyTtlSeconds"/>.</summary>
    public TimeSpan IdempotencyTtl { get; init; } = TimeSpan.FromSeconds(HttpContract.DefaultIdempotencyTtlSeconds);

    /// <summary>What problem <c>type</c> URIs start with; default <see cref="ProblemTypeBase.Default"/>.</summary>
    public ProblemTypeBase ProblemTypes { get; init; } = ProblemTypeBase.Default;

    /// <summary>Reads and validates the publisher's environment.</summary>
    public static PublisherSettings FromEnvironment(SettingsReader env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var settings = new PublisherSettings
        {
            Momento = MomentoSettings.FromEnvironment(env),
            MaxValueBytes = env.Int32(EnvironmentVariables.MaxValueBytes, HttpContract.MaxValueBytes, 1, 1024 * 1024),
            MaxBodyBytes = env.Int32(EnvironmentVariables.MaxBodyBytes, HttpContract.MaxBodyBytes, 1024, 6 * 1024 * 1024),
            MaxBatchMessages = env.Int32(EnvironmentVariables.MaxBatchMessages, HttpContract.MaxBatchMessages, 1, 1000),
            AllowedTopicPrefixes = env.List(EnvironmentVariables.AllowedTopicPrefixes),
            // Up to a day: Momento's default longest TTL for a cache item.
            IdempotencyTtl = TimeSpan.FromSeconds(env.Int32(EnvironmentVariables.IdempotencyTtlSeconds, HttpContract.DefaultIdempotencyTtlSeconds, 1, HttpContract.DefaultIdempotencyTtlSeconds)),
            ProblemTypes = ProblemTypeBase.FromEnvironment(env),
        };

        if (settings.MaxValueBytes > settings.MaxBodyBytes)
        {
            throw new ConfigurationException(
                $"{EnvironmentVariables.MaxValueBytes} ({settings.MaxValueBytes}) cannot exceed {EnvironmentVariables.MaxBodyBytes} ({settings.MaxBodyBytes}).");
        }

        return settings;
    }

    /// <summary>True when the topic may be published to under the allowlist.</summary>
    public bool IsTopicAllowed(string topicName) => TopicAllowlist.Allows(AllowedTopicPrefixes, topicName);
}
