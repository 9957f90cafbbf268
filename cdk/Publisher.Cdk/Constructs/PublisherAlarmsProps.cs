using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.Lambda;

namespace Publisher.Cdk.Constructs;

/// <summary>What <see cref="PublisherAlarms"/> watches and whom it tells.</summary>
public sealed record PublisherAlarmsProps
{
    public required RestApi Api { get; init; }

    public required IFunction Publisher { get; init; }

    public required IFunction Subscriber { get; init; }

    /// <summary>PublishFailures in 5 minutes that raise that alarm (default 1).</summary>
    public int PublishFailureThreshold { get; init; } = PublisherStackSettings.DefaultPublishFailureAlarmThreshold;

    /// <summary>SNS topic every alarm notifies (default null: no action).</summary>
    public string? AlarmTopicArn { get; init; }
}
