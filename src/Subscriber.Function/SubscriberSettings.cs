using Functions.Common.Configuration;
using Functions.Common.Http;
using Publisher.Contracts;

namespace Subscriber.Function;

/// <summary>The subscriber's settings, read once in the init phase.</summary>
public sealed record SubscriberSettings
{
    /// <summary>Time kept back from the invocation deadline so the function always answers.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>Where and how to reach Momento.</summary>
    public required MomentoSettings Momento { get; init; }

    /// <summary>Upper bound of one verification session; default <see cref="HttpContract.MaxVerifyListenMs"/>.</summary>
    public TimeSpan MaxListen { get; init; } = TimeSpan.FromMilliseconds(HttpContract.MaxVerifyListenMs);

    /// <summary>What problem <c>type</c> URIs start with; default <see cref="ProblemTypeBase.Default"/>.</summary>
    public ProblemTypeBase ProblemTypes { get; init; } = ProblemTypeBase.Default;

    /// <summary>Topic-name prefixes a verification may listen to, the publisher's allowlist; empty allows every topic.</summary>
    public IReadOnlyList<string> AllowedTopicPrefixes { get; init; } = [];

    /// <summary>Reads and validates the subscriber's environment.</summary>
    public static SubscriberSettings FromEnvironment(SettingsReader env) => new()
    {
        Momento = MomentoSettings.FromEnvironment(env),
        MaxListen = TimeSpan.FromMilliseconds(env.Int32(EnvironmentVariables.VerifyMaxListenMs, HttpContract.MaxVerifyListenMs, 100, 900_000)),
        ProblemTypes = ProblemTypeBase.FromEnvironment(env),
        AllowedTopicPrefixes = env.List(EnvironmentVariables.AllowedTopicPrefixes),
    };

    /// <summary>True when a verification may listen to the topic under the allowlist.</summary>
    public bool IsTopicAllowed(string topicName) => TopicAllowlist.Allows(AllowedTopicPrefixes, topicName);
}
