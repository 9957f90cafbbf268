using Functions.Common.Configuration;

namespace Publisher.Function;

/// <summary>The publisher's request limits and topic allowlist, read once in the init phase.</summary>
public sealed record PublisherSettings
{
    /// <summary>Momento's hard limit on one topic message.</summary>
    public const int DefaultMaxValueBytes = 4096;

    /// <summary>Hard cap on a request body, checked before it is parsed.</summary>
    public const int DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>Default maximum messages in one <c>POST /batch</c>.</summary>
    public const int DefaultMaxBatchMessages = 100;

    /// <summary>Longest topic name accepted (Momento documents none; this keeps logs and metrics sane).</summary>
    public const int MaxTopicNameLength = 256;

    /// <summary>Time kept back from the invocation deadline so the function always answers before Lambda stops it.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>Where and how to reach Momento.</summary>
    public required MomentoSettings Momento { get; init; }

    /// <summary>Largest value in bytes (text counted as UTF-8).</summary>
    public int MaxValueBytes { get; init; } = DefaultMaxValueBytes;

    /// <summary>Largest request body in bytes.</summary>
    public int MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Most messages in one batch.</summary>
    public int MaxBatchMessages { get; init; } = DefaultMaxBatchMessages;

    /// <summary>Topic-name prefixes allowed; empty allows every topic.</summary>
    public IReadOnlyList<string> AllowedTopicPrefixes { get; init; } = [];

    /// <summary>Reads and validates the publisher's environment.</summary>
    public static PublisherSettings FromEnvironment(SettingsReader env)
    {
        var settings = new PublisherSettings
        {
            Momento = MomentoSettings.FromEnvironment(env),
            MaxValueBytes = env.Int32(EnvironmentVariables.MaxValueBytes, DefaultMaxValueBytes, 1, 1024 * 1024),
            MaxBodyBytes = env.Int32(EnvironmentVariables.MaxBodyBytes, DefaultMaxBodyBytes, 1024, 6 * 1024 * 1024),
            MaxBatchMessages = env.Int32(EnvironmentVariables.MaxBatchMessages, DefaultMaxBatchMessages, 1, 1000),
            AllowedTopicPrefixes = env.List(EnvironmentVariables.AllowedTopicPrefixes),
        };

        if (settings.MaxValueBytes > settings.MaxBodyBytes)
        {
            throw new ConfigurationException(
                $"{EnvironmentVariables.MaxValueBytes} ({settings.MaxValueBytes}) cannot exceed {EnvironmentVariables.MaxBodyBytes} ({settings.MaxBodyBytes}).");
        }

        return settings;
    }

    /// <summary>True when the topic may be published to under the allowlist.</summary>
    public bool IsTopicAllowed(string topicName) =>
        AllowedTopicPrefixes.Count == 0 || AllowedTopicPrefixes.Any(prefix => topicName.StartsWith(prefix, StringComparison.Ordinal));
}
