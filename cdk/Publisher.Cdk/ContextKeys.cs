namespace Publisher.Cdk;

/// <summary>The CDK context keys the app reads (<c>cdk.json</c> or <c>-c key=value</c>); cdk/README.md documents each.</summary>
public static class ContextKeys
{
    /// <summary>Sets <see cref="PublisherStackSettings.StackName"/>.</summary>
    public const string StackName = "stackName";

    /// <summary>Sets <see cref="PublisherStackSettings.CacheName"/>.</summary>
    public const string CacheName = "cacheName";

    /// <summary>Sets <see cref="PublisherStackSettings.SecretName"/>.</summary>
    public const string SecretName = "secretName";

    /// <summary>Sets <see cref="PublisherStackSettings.SecretArn"/>.</summary>
    public const string SecretArn = "secretArn";

    /// <summary>Sets <see cref="PublisherStackSettings.SecretKmsKeyArn"/>.</summary>
    public const string SecretKmsKeyArn = "secretKmsKeyArn";

    /// <summary>Sets <see cref="PublisherStackSettings.MomentoEndpoint"/>.</summary>
    public const string MomentoEndpoint = "momentoEndpoint";

    /// <summary>Sets <see cref="PublisherStackSettings.AuthMode"/>.</summary>
    public const string AuthMode = "authMode";

    /// <summary>Sets <see cref="PublisherStackSettings.FrontDoor"/>.</summary>
    public const string FrontDoor = "frontDoor";

    /// <summary>Sets <see cref="PublisherStackSettings.HttpApiAuth"/>.</summary>
    public const string HttpApiAuth = "httpApiAuth";

    /// <summary>Sets <see cref="PublisherStackSettings.JwtIssuer"/>.</summary>
    public const string JwtIssuer = "jwtIssuer";

    /// <summary>Sets <see cref="PublisherStackSettings.JwtAudience"/>.</summary>
    public const string JwtAudience = "jwtAudience";

    /// <summary>Sets <see cref="PublisherStackSettings.ReservedConcurrency"/>.</summary>
    public const string ReservedConcurrency = "reservedConcurrency";

    /// <summary>Sets <see cref="PublisherStackSettings.ThrottleRateLimit"/>.</summary>
    public const string ThrottleRateLimit = "throttleRateLimit";

    /// <summary>Sets <see cref="PublisherStackSettings.ThrottleBurstLimit"/>.</summary>
    public const string ThrottleBurstLimit = "throttleBurstLimit";

    /// <summary>Sets <see cref="PublisherStackSettings.QuotaPerDay"/>.</summary>
    public const string QuotaPerDay = "quotaPerDay";

    /// <summary>Sets <see cref="PublisherStackSettings.MemorySize"/>.</summary>
    public const string MemorySize = "memorySize";

    /// <summary>Sets <see cref="PublisherStackSettings.SubscriberMemorySize"/>.</summary>
    public const string SubscriberMemorySize = "subscriberMemorySize";

    /// <summary>Sets <see cref="PublisherStackSettings.SubscriberReservedConcurrency"/>.</summary>
    public const string SubscriberReservedConcurrency = "subscriberReservedConcurrency";

    /// <summary>Sets <see cref="PublisherStackSettings.ParamsAndSecretsLayerArn"/>.</summary>
    public const string ParamsAndSecretsLayerArn = "paramsAndSecretsLayerArn";

    /// <summary>Sets <see cref="PublisherStackSettings.Architecture"/>.</summary>
    public const string Architecture = "architecture";

    /// <summary>Sets <see cref="PublisherStackSettings.LogRetentionDays"/>.</summary>
    public const string LogRetentionDays = "logRetentionDays";

    /// <summary>Sets <see cref="PublisherStackSettings.TopicPrefixes"/>.</summary>
    public const string TopicPrefixes = "topicPrefixes";

    /// <summary>Sets <see cref="PublisherStackSettings.PublishTimeoutMs"/>.</summary>
    public const string PublishTimeoutMs = "publishTimeoutMs";

    /// <summary>Sets <see cref="PublisherStackSettings.FunctionTimeoutSeconds"/>.</summary>
    public const string FunctionTimeoutSeconds = "functionTimeoutSeconds";

    /// <summary>Sets <see cref="PublisherStackSettings.SubscriberTimeoutSeconds"/>.</summary>
    public const string SubscriberTimeoutSeconds = "subscriberTimeoutSeconds";

    /// <summary>Sets <see cref="PublisherStackSettings.VerifyMaxListenMs"/>.</summary>
    public const string VerifyMaxListenMs = "verifyMaxListenMs";

    /// <summary>Sets <see cref="PublisherStackSettings.SecretsManagerTtlSeconds"/>.</summary>
    public const string SecretsManagerTtlSeconds = "secretsManagerTtlSeconds";

    /// <summary>Sets <see cref="PublisherStackSettings.PublishFailureAlarmThreshold"/>.</summary>
    public const string PublishFailureAlarmThreshold = "publishFailureAlarmThreshold";

    /// <summary>Sets <see cref="PublisherStackSettings.AlarmTopicArn"/>.</summary>
    public const string AlarmTopicArn = "alarmTopicArn";

    /// <summary>Sets <see cref="PublisherStackSettings.Dashboard"/>.</summary>
    public const string Dashboard = "dashboard";

    /// <summary>Base URI of the problem types' documentation (default: the API's own <c>/problems/</c> pages).</summary>
    public const string ProblemTypeBaseUri = "problemTypeBaseUri";

    /// <summary>Sets <see cref="PublisherStackSettings.PrebuiltPublisherDir"/>.</summary>
    public const string PrebuiltPublisherDir = "prebuiltPublisherDir";

    /// <summary>Sets <see cref="PublisherStackSettings.PrebuiltSubscriberDir"/>.</summary>
    public const string PrebuiltSubscriberDir = "prebuiltSubscriberDir";

    /// <summary>Sets <see cref="PublisherStackSettings.SkipBundling"/>.</summary>
    public const string SkipBundling = "skipBundling";

    /// <summary>Sets <see cref="PublisherStackSettings.NativeAot"/>.</summary>
    public const string NativeAot = "nativeAot";

    /// <summary>Sets <see cref="PublisherStackSettings.AwsLambdaPackages"/>.</summary>
    public const string AwsLambdaPackages = "awsLambdaPackages";

    /// <summary>Sets <see cref="PublisherStackSettings.ManagedInstances"/>.</summary>
    public const string ManagedInstances = "managedInstances";

    /// <summary>Sets <see cref="PublisherStackSettings.PerExecutionEnvironmentMaxConcurrency"/>.</summary>
    public const string PerExecutionEnvironmentMaxConcurrency = "perExecutionEnvironmentMaxConcurrency";

    /// <summary>Sets <see cref="PublisherStackSettings.ManagedInstancesSubnetIds"/>.</summary>
    public const string ManagedInstancesSubnetIds = "managedInstancesSubnetIds";

    /// <summary>Sets <see cref="PublisherStackSettings.ManagedInstancesSecurityGroupIds"/>.</summary>
    public const string ManagedInstancesSecurityGroupIds = "managedInstancesSecurityGroupIds";

    /// <summary>Sets <see cref="PublisherStackSettings.RepoRoot"/>.</summary>
    public const string RepoRoot = "repoRoot";
}
