using Amazon.CDK.AWS.Lambda;

namespace Publisher.Cdk.Constructs;

/// <summary>The functions behind <see cref="TopicsHttpApi"/>, how callers authenticate and how the stage is throttled.</summary>
public sealed record TopicsHttpApiProps
{
    /// <summary>Serves the publish routes, the documentation routes and every route the API does not declare.</summary>
    public required IFunction Publisher { get; init; }

    /// <summary>Serves <c>GET</c> and <c>POST /verify</c>.</summary>
    public required IFunction Subscriber { get; init; }

    /// <summary>Caller authentication of every function route (default IAM).</summary>
    public HttpApiAuth Auth { get; init; } = HttpApiAuth.Iam;

    /// <summary>The JWT issuer; required with <see cref="HttpApiAuth.Jwt"/>.</summary>
    public string? JwtIssuer { get; init; }

    /// <summary>The audiences a JWT may be for; at least one with <see cref="HttpApiAuth.Jwt"/>.</summary>
    public IReadOnlyList<string> JwtAudience { get; init; } = [];

    /// <summary>Steady-state requests per second of the stage (default 50).</summary>
    public int ThrottleRateLimit { get; init; } = PublisherStackSettings.DefaultThrottleRateLimit;

    /// <summary>Burst requests of the stage (default 100).</summary>
    public int ThrottleBurstLimit { get; init; } = PublisherStackSettings.DefaultThrottleBurstLimit;

    /// <summary>Days the access log keeps events (default 30).</summary>
    public int LogRetentionDays { get; init; } = PublisherStackSettings.DefaultLogRetentionDays;

    /// <summary>Base URI of the problem types' documentation (ends with a slash); null means the API's own <c>/problems/</c> pages.</summary>
    public string? ProblemTypeBaseUri { get; init; }
}
