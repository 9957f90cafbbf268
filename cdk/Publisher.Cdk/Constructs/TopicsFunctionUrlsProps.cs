using LambdaFunction = Amazon.CDK.AWS.Lambda.Function;

namespace Publisher.Cdk.Constructs;

/// <summary>The functions <see cref="TopicsFunctionUrls"/> gives URLs to, and the publisher's concurrency bound.</summary>
public sealed record TopicsFunctionUrlsProps
{
    /// <summary>Serves the publish routes and the documentation at its own URL.</summary>
    public required LambdaFunction Publisher { get; init; }

    /// <summary>Serves <c>GET</c> and <c>POST /verify</c> at its own URL.</summary>
    public required LambdaFunction Subscriber { get; init; }

    /// <summary>The publisher's reserved concurrency: a function URL's only throttle (default 10).</summary>
    public int ReservedConcurrency { get; init; } = PublisherStackSettings.DefaultFunctionUrlReservedConcurrency;

    /// <summary>Base URI of the problem types' documentation (ends with a slash); null means the publisher's own pages.</summary>
    public string? ProblemTypeBaseUri { get; init; }
}
