using Publisher.Contracts;

namespace Publisher.Cdk.Tests;

/// <summary>
/// The few stacks every CDK test class reads, synthesized once per test run: each synth costs
/// seconds of jsii round trips, so the classes share these instead of building their own.
/// </summary>
public sealed class StackFixture
{
    public const string ImportedSecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:momento/api-key-AbC123";
    public const string ImportedSecretName = "prod/momento-api-key";
    public const string AlarmTopicArn = "arn:aws:sns:eu-west-1:123456789012:ops-alarms";
    public const string Endpoint = "cell-us-east-1-1.prod.a.momentohq.com";
    public const string SecretKmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string ProblemTypeBaseUri = "https://api.example.com/topics/problems/";

    private readonly Lazy<SynthesizedStack> defaults = new(() => new SynthesizedStack(new PublisherStackSettings { SkipBundling = true }));

    private readonly Lazy<SynthesizedStack> customized = new(() => new SynthesizedStack(new PublisherStackSettings
    {
        SkipBundling = true,
        StackName = "TopicsIam",
        CacheName = "orders-cache",
        AuthMode = ApiAuthMode.Iam,
        Architecture = FunctionArchitecture.Arm64,
        SecretName = ImportedSecretName,
        SecretKmsKeyArn = SecretKmsKeyArn,
        MomentoEndpoint = Endpoint,
        TopicPrefixes = ["orders-", "audit-"],
        LogRetentionDays = 90,
        SecretsManagerTtlSeconds = 120,
        MemorySize = 512,
        SubscriberMemorySize = 384,
        SubscriberReservedConcurrency = 3,
        PublishTimeoutMs = 3000,
        FunctionTimeoutSeconds = 6,
        SubscriberTimeoutSeconds = 20,
        VerifyMaxListenMs = 15000,
        ThrottleRateLimit = 7,
        ThrottleBurstLimit = 9,
        PublishFailureAlarmThreshold = 5,
        AlarmTopicArn = AlarmTopicArn,
        Dashboard = false,
        ProblemTypeBaseUri = ProblemTypeBaseUri,
    }));

    private readonly Lazy<SynthesizedStack> byArn = new(() => new SynthesizedStack(new PublisherStackSettings
    {
        SkipBundling = true,
        StackName = "TopicsByArn",
        SecretArn = ImportedSecretArn,
    }));

    private readonly Lazy<SynthesizedStack> managedInstances = new(() => new SynthesizedStack(PublisherStackSettings.FromContext(
        new Dictionary<string, object> { ["skipBundling"] = "true", ["managedInstances"] = "true" }.GetValueOrDefault)));

    private readonly Lazy<SynthesizedStack> managedInstancesExistingVpc = new(() => new SynthesizedStack(PublisherStackSettings.FromContext(
        new Dictionary<string, object>
        {
            ["skipBundling"] = "true",
            ["managedInstances"] = "true",
            ["perExecutionEnvironmentMaxConcurrency"] = "64",
            ["architecture"] = "arm64",
            ["memorySize"] = "4096",
            ["managedInstancesSubnetIds"] = ExistingSubnets,
            ["managedInstancesSecurityGroupIds"] = ExistingSecurityGroup,
        }.GetValueOrDefault)));

    public const string ExistingSubnets = "subnet-0a1b2c3d4e5f60718,subnet-0a1b2c3d4e5f60719";
    public const string ExistingSecurityGroup = "sg-0a1b2c3d4e5f60717";

    public const string JwtIssuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
    public static readonly string[] JwtAudience = ["orders-service", "audit-service"];

    private readonly Lazy<SynthesizedStack> httpApi = new(() => new SynthesizedStack(new PublisherStackSettings
    {
        SkipBundling = true,
        StackName = "TopicsHttpApi",
        FrontDoor = FrontDoor.HttpApi,
    }));

    private readonly Lazy<SynthesizedStack> httpApiJwt = new(() => new SynthesizedStack(new PublisherStackSettings
    {
        SkipBundling = true,
        StackName = "TopicsHttpApiJwt",
        FrontDoor = FrontDoor.HttpApi,
        HttpApiAuth = HttpApiAuth.Jwt,
        JwtIssuer = JwtIssuer,
        JwtAudience = JwtAudience,
        ThrottleRateLimit = 7,
        ThrottleBurstLimit = 9,
        LogRetentionDays = 90,
        AlarmTopicArn = AlarmTopicArn,
        Dashboard = false,
        ProblemTypeBaseUri = ProblemTypeBaseUri,
        ReservedConcurrency = 5,
    }));

    private readonly Lazy<SynthesizedStack> functionUrl = new(() => new SynthesizedStack(new PublisherStackSettings
    {
        SkipBundling = true,
        StackName = "TopicsFunctionUrl",
        FrontDoor = FrontDoor.FunctionUrl,
    }));

    private readonly Lazy<SynthesizedStack> functionUrlCustomized = new(() => new SynthesizedStack(new PublisherStackSettings
    {
        SkipBundling = true,
        StackName = "TopicsFunctionUrlCustomized",
        FrontDoor = FrontDoor.FunctionUrl,
        ReservedConcurrency = 25,
        Architecture = FunctionArchitecture.Arm64,
        SecretArn = ImportedSecretArn,
        Dashboard = false,
        ProblemTypeBaseUri = ProblemTypeBaseUri,
    }));

    /// <summary>
    /// Set to the template a real `cdk synth` wrote (e.g. cdk.out/MomentoTopicsPublisher.template.json,
    /// relative to the repository root or absolute)
    /// to hold it to the checks that run over <see cref="All"/>, including its bundled packages.
    /// </summary>
    public const string TemplateFileVariable = "PUBLISHER_CDK_TEMPLATE";

    private readonly Lazy<SynthesizedStack?> fromCdkSynth = new(() =>
        Environment.GetEnvironmentVariable(TemplateFileVariable) is { Length: > 0 } file
            ? new SynthesizedStack(Path.IsPathRooted(file) ? file : Path.Combine(RepoLocator.Find(AppContext.BaseDirectory) ?? ".", file))
            : null);

    /// <summary>All defaults: API key mode, x86_64, a new empty secret.</summary>
    public SynthesizedStack Defaults => defaults.Value;

    /// <summary>Every setting changed: IAM mode, arm64, secret imported by name, endpoint, prefixes, alarm topic, no dashboard, problem type base.</summary>
    public SynthesizedStack Customized => customized.Value;

    /// <summary>Defaults except the secret, imported by complete ARN.</summary>
    public SynthesizedStack ByArn => byArn.Value;

    /// <summary>`-c managedInstances=true` and nothing else: a new VPC, Lambda's default concurrency.</summary>
    public SynthesizedStack ManagedInstances => managedInstances.Value;

    /// <summary>Managed Instances in existing subnets, arm64, 4 GB, at most 64 invocations per execution environment.</summary>
    public SynthesizedStack ManagedInstancesExistingVpc => managedInstancesExistingVpc.Value;

    /// <summary>The HTTP API door with its defaults: IAM on every function route, stage throttle 50/100.</summary>
    public SynthesizedStack HttpApi => httpApi.Value;

    /// <summary>The HTTP API door with a JWT authorizer, its own throttle, access log retention, alarm topic, problem type base and reserved concurrency, no dashboard.</summary>
    public SynthesizedStack HttpApiJwt => httpApiJwt.Value;

    /// <summary>The function URL door with its defaults: AWS_IAM on both URLs, reserved concurrency 10.</summary>
    public SynthesizedStack FunctionUrl => functionUrl.Value;

    /// <summary>The function URL door with reserved concurrency 25, arm64, an imported secret and a problem type base, no dashboard.</summary>
    public SynthesizedStack FunctionUrlCustomized => functionUrlCustomized.Value;

    /// <summary>The stacks of the two other front doors.</summary>
    public IEnumerable<SynthesizedStack> Doors => [HttpApi, HttpApiJwt, FunctionUrl, FunctionUrlCustomized];

    /// <summary><see cref="All"/> and <see cref="Doors"/>: for the checks every stack must pass, whatever its door.</summary>
    public IEnumerable<SynthesizedStack> Everything => [.. All, .. Doors];

    /// <summary>The three synthesized here, plus the `cdk synth` template when <see cref="TemplateFileVariable"/> names one.</summary>
    public IEnumerable<SynthesizedStack> All =>
        fromCdkSynth.Value is { } external ? [Defaults, Customized, ByArn, external] : [Defaults, Customized, ByArn];
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    /// <summary>One collection, so the jsii-backed classes share the fixture and never call into Node concurrently.</summary>
    public const string Name = "Synthesized stacks";
}
