using Amazon.CDK.AWS.CloudWatch;

namespace Publisher.Cdk.Constructs;

/// <summary>What <see cref="PublisherDashboard"/> shows: the API, both functions with their log groups, and the alarms.</summary>
public sealed record PublisherDashboardProps
{
    /// <summary>The front door: requests, 4XX/5XX and latency, from the metrics that door publishes.</summary>
    public required IFrontDoor Api { get; init; }

    /// <summary>The publisher: its Lambda metrics, and its log group for init durations.</summary>
    public required MomentoFunction Publisher { get; init; }

    /// <summary>The subscriber: its Lambda metrics, and its log group for init durations.</summary>
    public required MomentoFunction Subscriber { get; init; }

    /// <summary>Alarms whose states the dashboard's first row shows.</summary>
    public required IReadOnlyList<IAlarm> Alarms { get; init; }
}
