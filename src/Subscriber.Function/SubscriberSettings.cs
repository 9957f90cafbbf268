using Functions.Common.Configuration;

namespace Subscriber.Function;

/// <summary>The subscriber's settings, read once in the init phase.</summary>
public sealed record SubscriberSettings
{
    /// <summary>Default longest verification session: under API Gateway's 29 s integration timeout.</summary>
    public const int DefaultMaxListenMs = 25_000;

    /// <summary>Default listening time when a request does not say.</summary>
    public const int DefaultListenMs = 10_000;

    /// <summary>Most items a session keeps and returns.</summary>
    public const int MaxItemsReturned = 100;

    /// <summary>Time kept back from the invocation deadline so the function always answers.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>Where and how to reach Momento.</summary>
    public required MomentoSettings Momento { get; init; }

    /// <summary>Upper bound of one verification session.</summary>
    public TimeSpan MaxListen { get; init; } = TimeSpan.FromMilliseconds(DefaultMaxListenMs);

    /// <summary>Reads and validates the subscriber's environment.</summary>
    public static SubscriberSettings FromEnvironment(SettingsReader env) => new()
    {
        Momento = MomentoSettings.FromEnvironment(env),
        MaxListen = TimeSpan.FromMilliseconds(env.Int32(EnvironmentVariables.VerifyMaxListenMs, DefaultMaxListenMs, 100, 900_000)),
    };
}
