using Amazon.CDK.AWS.Lambda;

namespace Publisher.Cdk.Constructs;

/// <summary>What <see cref="PublisherAlarms"/> watches and whom it tells.</summary>
public sealed record PublisherAlarmsProps
{
    /// <summary>The front door whose 5xx answers raise an alarm.</summary>
    public required IFrontDoor Api { get; init; }

    /// <summary>The publisher function: its errors and throttles raise alarms.</summary>
    public required IFunction Publisher { get; init; }

    /// <summary>The subscriber function: its errors raise an alarm.</summary>
    public required IFunction Subscriber { get; init; }

    /// <summary>PublishFailures in 5 minutes that raise that alarm (default 1).</summary>
    public int PublishFailureThreshold { get; init; } = PublisherStackSettings.DefaultPublishFailureAlarmThreshold;

    /// <summary>SNS topic every alarm notifies (default null: no action).</summary>
    public string? AlarmTopicArn { get; init; }
}
