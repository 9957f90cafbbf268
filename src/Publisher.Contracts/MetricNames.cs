namespace Publisher.Contracts;

/// <summary>
/// Namespace, metric and dimension names of the embedded metrics the publisher emits; the CDK stack's alarms and
/// dashboard read them from here, so they read exactly what the function writes.
/// </summary>
public static class MetricNames
{
    /// <summary>The CloudWatch namespace every embedded metric goes to.</summary>
    public const string Namespace = "MomentoTopicsPublisher";

    /// <summary>Messages Momento accepted in one invocation (Count, per FunctionName).</summary>
    public const string Published = "Published";

    /// <summary>Messages Momento refused or failed (Count): the total per <see cref="FunctionNameDimension"/>, and per function and <see cref="ErrorCodeDimension"/>.</summary>
    public const string PublishFailures = "PublishFailures";

    /// <summary>1 on an execution environment's first invocation, else 0 (Count, per FunctionName).</summary>
    public const string ColdStart = "ColdStart";

    /// <summary>Time spent publishing to Momento in one invocation (Milliseconds, per FunctionName; only when it published).</summary>
    public const string PublishLatency = "PublishLatency";

    /// <summary>Keyed requests (or batch messages) answered from an idempotency record, publishing nothing (Count, per FunctionName).</summary>
    public const string IdempotentReplays = "IdempotentReplays";

    /// <summary>Keyed requests (or batch messages) refused because the key was in flight (409) or used for another request (422) (Count, per FunctionName).</summary>
    public const string IdempotencyConflicts = "IdempotencyConflicts";

    /// <summary>
    /// The dimension every metric carries: the Lambda function's name, unique in an account and region, so two stacks (and
    /// their two functions) never add up or fire each other's alarms.
    /// </summary>
    public const string FunctionNameDimension = "FunctionName";

    /// <summary>The dimension naming why publishes failed (the problem's error code).</summary>
    public const string ErrorCodeDimension = "ErrorCode";
}
