namespace Publisher.Cdk;

/// <summary>The CDK context keys the app reads (<c>cdk.json</c> or <c>-c key=value</c>); cdk/README.md documents each.</summary>
public static class ContextKeys
{
    public const string StackName = "stackName";
    public const string CacheName = "cacheName";
    public const string SecretName = "secretName";
    public const string SecretArn = "secretArn";
    public const string MomentoEndpoint = "momentoEndpoint";
    public const string AuthMode = "authMode";
    public const string ThrottleRateLimit = "throttleRateLimit";
    public const string ThrottleBurstLimit = "throttleBurstLimit";
    public const string QuotaPerDay = "quotaPerDay";
    public const string MemorySize = "memorySize";
    public const string SubscriberMemorySize = "subscriberMemorySize";
    public const string Architecture = "architecture";
    public const string LogRetentionDays = "logRetentionDays";
    public const string TopicPrefixes = "topicPrefixes";
    public const string PublishTimeoutMs = "publishTimeoutMs";
    public const string FunctionTimeoutSeconds = "functionTimeoutSeconds";
    public const string SubscriberTimeoutSeconds = "subscriberTimeoutSeconds";
    public const string VerifyMaxListenMs = "verifyMaxListenMs";
    public const string SecretsManagerTtlSeconds = "secretsManagerTtlSeconds";
    public const string PublishFailureAlarmThreshold = "publishFailureAlarmThreshold";
    public const string AlarmTopicArn = "alarmTopicArn";
    public const string Dashboard = "dashboard";

    /// <summary>Base URI of the problem types' documentation (default: the API's own <c>/problems/</c> pages).</summary>
    public const string ProblemTypeBaseUri = "problemTypeBaseUri";
    public const string PrebuiltPublisherDir = "prebuiltPublisherDir";
    public const string PrebuiltSubscriberDir = "prebuiltSubscriberDir";
    public const string SkipBundling = "skipBundling";
    public const string NativeAot = "nativeAot";
    public const string AwsLambdaPackages = "awsLambdaPackages";
    public const string RepoRoot = "repoRoot";
}
