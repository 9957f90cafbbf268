using Amazon.CDK.AWS.CloudWatch;
using Publisher.Contracts;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// What the rest of the stack needs from a front door: where problem types point, the outputs naming its URLs, and
/// the CloudWatch metrics that door publishes (the alarms and the dashboard read these, not one door's own names).
/// </summary>
public interface IFrontDoor
{
    /// <summary>Which door this is.</summary>
    FrontDoor Kind { get; }

    /// <summary>The publisher's <c>PROBLEM_TYPE_BASE_URI</c>: where its problem types' pages are.</summary>
    string PublisherProblemTypeBaseUri { get; }

    /// <summary>The subscriber's <c>PROBLEM_TYPE_BASE_URI</c> (the same pages; behind function URLs, reached at the publisher's URL).</summary>
    string SubscriberProblemTypeBaseUri { get; }

    /// <summary>The stack outputs naming this door's URLs (and its key, where it has one), in output order.</summary>
    IReadOnlyList<DoorOutput> Outputs { get; }

    /// <summary>Requests the door received.</summary>
    IMetric Requests(MetricOptions options);

    /// <summary>Requests the door answered with a 4xx.</summary>
    IMetric ClientErrors(MetricOptions options);

    /// <summary>Requests the door answered with a 5xx.</summary>
    IMetric ServerErrors(MetricOptions options);

    /// <summary>Time from the request's arrival at the door to its answer leaving.</summary>
    IMetric Latency(MetricOptions options);

    /// <summary>Time the door waited for the function, or null when nothing sits between the caller and the function.</summary>
    IMetric? IntegrationLatency(MetricOptions options);
}

/// <summary>One stack output of a front door.</summary>
/// <param name="Id">The output's name (its logical id).</param>
/// <param name="Value">Its value (usually a token).</param>
/// <param name="Description">What it is for.</param>
public sealed record DoorOutput(string Id, string Value, string Description);
