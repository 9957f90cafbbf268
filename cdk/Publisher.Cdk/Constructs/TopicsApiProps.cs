using Amazon.CDK.AWS.Lambda;

namespace Publisher.Cdk.Constructs;

/// <summary>The functions behind <see cref="TopicsApi"/> and how callers authenticate and are throttled.</summary>
public sealed record TopicsApiProps
{
    /// <summary>Serves <c>POST /topics</c>, <c>POST /topics/{topicName}</c> and <c>POST /batch</c>.</summary>
    public required IFunction Publisher { get; init; }

    /// <summary>Serves <c>GET</c> and <c>POST /verify</c>.</summary>
    public required IFunction Subscriber { get; init; }

    /// <summary>Caller authentication for every method (default API key).</summary>
    public ApiAuthMode AuthMode { get; init; } = ApiAuthMode.ApiKey;

    /// <summary>Steady-state requests per second (default 50).</summary>
    public int ThrottleRateLimit { get; init; } = PublisherStackSettings.DefaultThrottleRateLimit;

    /// <summary>Burst requests (default 100).</summary>
    public int ThrottleBurstLimit { get; init; } = PublisherStackSettings.DefaultThrottleBurstLimit;

    /// <summary>
    /// Base URI of the problem types' documentation (ends with a slash); null means the API's own
    /// <c>/problems/</c> pages on its execute-api address.
    /// </summary>
    public string? ProblemTypeBaseUri { get; init; }

    /// <summary>Sessions <c>/verify</c> may hold at once (the subscriber's reserved concurrency; default 5): its method throttle.</summary>
    public int VerifyConcurrency { get; init; } = PublisherStackSettings.DefaultSubscriberReservedConcurrency;

    /// <summary>Longest verification session in ms (default 25000): with <see cref="VerifyConcurrency"/>, sets <c>/verify</c>'s steady rate.</summary>
    public int VerifyMaxListenMs { get; init; } = PublisherStackSettings.DefaultVerifyMaxListenMs;

    /// <summary>Requests per day per API key (default 100000; API key mode only).</summary>
    public int QuotaPerDay { get; init; } = PublisherStackSettings.DefaultQuotaPerDay;
}
