using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Constructs;
using Publisher.Contracts;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// CloudWatch alarms on what means callers are failing: the front door's 5XX, function errors and throttles,
/// and the publisher's own PublishFailures metric (Momento refusing or failing a publish,
/// which the function answers without a Lambda error).
/// </summary>
public sealed class PublisherAlarms : Construct
{
    private static readonly Duration Period = Duration.Minutes(5);

    /// <summary>Every alarm created, in a stable order.</summary>
    public IReadOnlyList<Alarm> Alarms { get; }

    /// <summary>Creates every alarm, each notifying <see cref="PublisherAlarmsProps.AlarmTopicArn"/> when one is set.</summary>
    /// <param name="scope">The parent construct (the stack).</param>
    /// <param name="id">Construct id, unique within <paramref name="scope"/>.</param>
    /// <param name="props">What to build; required.</param>
    public PublisherAlarms(Construct scope, string id, PublisherAlarmsProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var sum = new MetricOptions { Period = Period, Statistic = Stats.SUM };

        Alarms =
        [
            Create("Api5xx", props.Api.ServerErrors(sum), 1, props.Api.Kind == FrontDoor.FunctionUrl
                ? "A function URL answered 5XX (function failures, timeouts or throttles)."
                : "The API answered 5XX (function failures, gateway timeouts or misconfiguration)."),
            Create("PublisherErrors", props.Publisher.MetricErrors(sum), 1,
                "The publisher function failed an invocation (crash, timeout or init error)."),
            Create("PublisherThrottles", props.Publisher.MetricThrottles(sum), 1,
                "Lambda throttled the publisher function: raise its concurrency or lower the API limits."),
            Create("SubscriberErrors", props.Subscriber.MetricErrors(sum), 1,
                "The subscriber (verification) function failed an invocation."),
            Create("PublishFailures", new Metric(new MetricProps
            {
                // This stack's publisher's total (the function's name tells it from another stack's); it also emits it per ErrorCode.
                Namespace = MetricNames.Namespace,
                MetricName = MetricNames.PublishFailures,
                DimensionsMap = new Dictionary<string, string> { [MetricNames.FunctionNameDimension] = props.Publisher.FunctionName },
                Period = Period,
                Statistic = Stats.SUM,
            }), props.PublishFailureThreshold,
                "Momento refused or failed publishes; the publisher's logs name the error code."),
        ];

        if (props.AlarmTopicArn is { } topicArn)
        {
            var action = new SnsAction(Topic.FromTopicArn(this, "AlarmTopic", topicArn));
            foreach (var alarm in Alarms)
            {
                alarm.AddAlarmAction(action);
            }
        }
    }

    private Alarm Create(string id, IMetric metric, int threshold, string description) =>
        new(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = threshold,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            // No traffic is not a failure.
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = description,
        });
}
