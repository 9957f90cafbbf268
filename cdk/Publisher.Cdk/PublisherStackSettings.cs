using Publisher.Cdk.Internal;
using Publisher.Contracts;

namespace Publisher.Cdk;

/// <summary>Everything a deployer can change, parsed and validated once from CDK context (documented in docs/configuration.md, generated from these summaries).</summary>
public sealed record PublisherStackSettings
{
    /// <summary>Default of <see cref="StackName"/>.</summary>
    public const string DefaultStackName = "MomentoTopicsPublisher";
    /// <summary>Default of <see cref="CacheName"/>.</summary>
    public const string DefaultCacheName = "default-cache";
    /// <summary>Default of <see cref="ThrottleRateLimit"/>: requests per second.</summary>
    public const int DefaultThrottleRateLimit = StackDefaults.ThrottleRateLimit;
    /// <summary>Default of <see cref="ThrottleBurstLimit"/>.</summary>
    public const int DefaultThrottleBurstLimit = StackDefaults.ThrottleBurstLimit;
    /// <summary>Default of <see cref="QuotaPerDay"/>.</summary>
    public const int DefaultQuotaPerDay = StackDefaults.QuotaPerDay;

    /// <summary>
    /// Publisher memory in MB. The benchmarks measure the AOT bootstrap's peak RSS at 19.5 MiB, flat from 1k to
    /// 100k invocations, so memory is not the constraint; Lambda gives CPU in proportion to memory, and 256 MB
    /// (about 1/7 vCPU) keeps the ~32 ms full-CPU cold start and the TLS handshake of the warm-up short.
    /// </summary>
    public const int DefaultMemorySize = StackDefaults.MemorySize;

    /// <summary>Subscriber memory in MB: it holds one subscription and a bounded list of items.</summary>
    public const int DefaultSubscriberMemorySize = 256;

    /// <summary>Memory of both functions on Lambda Managed Instances, in MB: the smallest function size Managed Instances
    /// support (2 GB, 1 vCPU), the default there unless memory is set.</summary>
    public const int ManagedInstancesMinMemorySize = 2048;

    /// <summary>The highest <see cref="PerExecutionEnvironmentMaxConcurrency"/> CloudFormation accepts.</summary>
    public const int MaxPerExecutionEnvironmentConcurrency = 1600;

    /// <summary>
    /// Default of <see cref="SubscriberReservedConcurrency"/>: a verification holds its function for up to 25 s, so without a
    /// cap a burst of them could take the account's concurrency from the publisher and everything else; 5 sessions at once
    /// is plenty for deployment checks.
    /// </summary>
    public const int DefaultSubscriberReservedConcurrency = 5;

    /// <summary>Default of <see cref="LogRetentionDays"/>.</summary>
    public const int DefaultLogRetentionDays = 30;
    /// <summary>Default of <see cref="PublishTimeoutMs"/>: half the function timeout, so a slow publish still gets its answer out.</summary>
    public const int DefaultPublishTimeoutMs = 5000;
    /// <summary>Default of <see cref="FunctionTimeoutSeconds"/>.</summary>
    public const int DefaultFunctionTimeoutSeconds = 10;

    /// <summary>Above the API Gateway integration timeout (29 s) so a /verify session always ends inside the function.</summary>
    public const int DefaultSubscriberTimeoutSeconds = 30;

    /// <summary>Below API Gateway's 29 s integration timeout, leaving room to answer.</summary>
    public const int DefaultVerifyMaxListenMs = HttpContract.MaxVerifyListenMs;

    /// <summary>The extension's maximum (and default) cache TTL for secrets.</summary>
    public const int DefaultSecretsManagerTtlSeconds = 300;

    /// <summary>Default of <see cref="PublishFailureAlarmThreshold"/>: any failed publish raises the alarm.</summary>
    public const int DefaultPublishFailureAlarmThreshold = 1;

    /// <summary>
    /// Default of <see cref="ReservedConcurrency"/> behind function URLs, which have no rate throttle: at most this many
    /// publishes run at once (a warm publish takes milliseconds, so it still serves hundreds per second).
    /// </summary>
    public const int DefaultFunctionUrlReservedConcurrency = StackDefaults.FunctionUrlReservedConcurrency;

    /// <summary>API Gateway REST APIs stop waiting for an integration after 29 s.</summary>
    public const int ApiGatewayIntegrationTimeoutMs = 29_000;

    /// <summary>CloudFormation stack name (default <c>MomentoTopicsPublisher</c>).</summary>
    public string StackName { get; init; } = DefaultStackName;

    /// <summary>Momento cache the topics live in (<c>MOMENTO_CACHE_NAME</c>; default <c>default-cache</c>).</summary>
    public string CacheName { get; init; } = DefaultCacheName;

    /// <summary>Name of an existing secret holding the Momento key (not together with <c>secretArn</c>); with neither, the stack creates a new empty secret.</summary>
    public string? SecretName { get; init; }

    /// <summary>ARN of an existing secret holding the Momento key, complete (with the 6-character suffix) or partial; with neither it nor <c>secretName</c>, the stack creates a new empty secret.</summary>
    public string? SecretArn { get; init; }

    /// <summary>
    /// ARN of the customer-managed KMS key an imported secret is encrypted with; the functions get <c>kms:Decrypt</c> on it
    /// (through Secrets Manager only). Null (the default): the secret uses the AWS managed key, which needs no grant.
    /// </summary>
    public string? SecretKmsKeyArn { get; init; }

    /// <summary>Momento endpoint for v2 API keys, which do not carry it (default null: the key says where).</summary>
    public string? MomentoEndpoint { get; init; }

    /// <summary>How callers authenticate to the REST API: <c>apiKey</c> (API key plus usage plan; the default) or <c>iam</c> (SigV4 on every method).</summary>
    public ApiAuthMode AuthMode { get; init; } = ApiAuthMode.ApiKey;

    /// <summary>How callers reach the functions: <c>restApi</c> (the default), <c>httpApi</c> or <c>functionUrl</c>.</summary>
    public FrontDoor FrontDoor { get; init; } = FrontDoor.RestApi;

    /// <summary><c>httpApi</c> only: <c>iam</c> (SigV4 for <c>execute-api</c> on every function route; the default) or <c>jwt</c> (a JWT authorizer).</summary>
    public HttpApiAuth HttpApiAuth { get; init; } = HttpApiAuth.Iam;

    /// <summary>The JWT issuer (an https URL whose OpenID configuration names its keys, e.g. a Cognito user pool's <c>https://cognito-idp.&lt;region&gt;.amazonaws.com/&lt;pool-id&gt;</c>); required with <c>httpApiAuth=jwt</c>.</summary>
    public string? JwtIssuer { get; init; }

    /// <summary>Audiences a JWT may be for (its <c>aud</c> or <c>client_id</c>), comma-separated; at least one with <c>httpApiAuth=jwt</c>.</summary>
    public IReadOnlyList<string> JwtAudience { get; init; } = [];

    /// <summary>
    /// The publisher's reserved concurrency; null leaves it unreserved. Behind function URLs, which have no rate
    /// throttle, it is the throttle and defaults to 10 (<see cref="DefaultFunctionUrlReservedConcurrency"/>).
    /// </summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>Steady-state requests per second (usage plan and stage; default 50).</summary>
    public int ThrottleRateLimit { get; init; } = DefaultThrottleRateLimit;

    /// <summary>Burst requests (usage plan and stage; default 100).</summary>
    public int ThrottleBurstLimit { get; init; } = DefaultThrottleBurstLimit;

    /// <summary>Requests per day per API key (default 100000; API key mode only).</summary>
    public int QuotaPerDay { get; init; } = DefaultQuotaPerDay;

    /// <summary>Publisher memory in MB (default 256).</summary>
    public int MemorySize { get; init; } = DefaultMemorySize;

    /// <summary>Subscriber memory in MB (default 256).</summary>
    public int SubscriberMemorySize { get; init; } = DefaultSubscriberMemorySize;

    /// <summary>Concurrent executions reserved for (and the most allowed to) the subscriber (default 5); <c>/verify</c> is throttled to match.</summary>
    public int SubscriberReservedConcurrency { get; init; } = DefaultSubscriberReservedConcurrency;

    /// <summary>
    /// The Parameters and Secrets extension layer's ARN for the target region and <see cref="Architecture"/>; null (the
    /// default) takes the CDK's own, which some regions lack (synth then says so, naming this setting).
    /// </summary>
    public string? ParamsAndSecretsLayerArn { get; init; }

    /// <summary>Instruction set of both functions and the layer: <c>x86_64</c> (the default) or <c>arm64</c>.</summary>
    public FunctionArchitecture Architecture { get; init; } = FunctionArchitecture.X64;

    /// <summary>Days the function logs are kept (default 30; one of CloudWatch's allowed values).</summary>
    public int LogRetentionDays { get; init; } = DefaultLogRetentionDays;

    /// <summary>Topic-name prefixes the publisher accepts (default empty: every topic).</summary>
    public IReadOnlyList<string> TopicPrefixes { get; init; } = [];

    /// <summary>Per-publish timeout in ms (default 5000).</summary>
    public int PublishTimeoutMs { get; init; } = DefaultPublishTimeoutMs;

    /// <summary>Publisher timeout in seconds (default 10).</summary>
    public int FunctionTimeoutSeconds { get; init; } = DefaultFunctionTimeoutSeconds;

    /// <summary>Subscriber timeout in seconds (default 30).</summary>
    public int SubscriberTimeoutSeconds { get; init; } = DefaultSubscriberTimeoutSeconds;

    /// <summary>Longest verification session the subscriber accepts, in ms (default 25000).</summary>
    public int VerifyMaxListenMs { get; init; } = DefaultVerifyMaxListenMs;

    /// <summary>How long the secrets extension caches the key, in seconds (default 300, the maximum).</summary>
    public int SecretsManagerTtlSeconds { get; init; } = DefaultSecretsManagerTtlSeconds;

    /// <summary>PublishFailures in 5 minutes that raise the alarm (default 1).</summary>
    public int PublishFailureAlarmThreshold { get; init; } = DefaultPublishFailureAlarmThreshold;

    /// <summary>SNS topic every alarm notifies (default null: alarms without actions).</summary>
    public string? AlarmTopicArn { get; init; }

    /// <summary>Whether the stack includes its CloudWatch dashboard (default true).</summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>
    /// Base URI every problem <c>type</c> starts with (an absolute http(s) URI ending with a slash, e.g. a custom domain's
    /// <c>https://api.example.com/topics/problems/</c>, which serves the same pages); null (the default) uses the API's
    /// own <c>/problems/</c> pages on its execute-api address.
    /// </summary>
    public string? ProblemTypeBaseUri { get; init; }

    /// <summary>Folder holding a prebuilt publisher <c>bootstrap</c>; null builds it during synth.</summary>
    public string? PrebuiltPublisherDir { get; init; }

    /// <summary>Folder holding a prebuilt subscriber <c>bootstrap</c>; null builds it during synth.</summary>
    public string? PrebuiltSubscriberDir { get; init; }

    /// <summary>Use a placeholder package instead of building (unit tests, quick synths); the result must not be deployed.</summary>
    public bool SkipBundling { get; init; }

    /// <summary>
    /// Force (true) or forbid (false) Native AOT; null decides from the host (Linux with gcc or clang, or for arm64 on
    /// x64 the aarch64 cross toolchain) and warns at synth when it falls back to the self-contained build.
    /// </summary>
    public bool? NativeAot { get; init; }

    /// <summary>Build the functions on the official Amazon.Lambda packages (<c>-p:UseAwsLambdaPackages=true</c>) instead of the repo's subset; default false.</summary>
    public bool AwsLambdaPackages { get; init; }

    /// <summary>
    /// Run both functions on Lambda Managed Instances (default false): a capacity provider (EC2 capacity Lambda manages,
    /// in a VPC) takes many invocations per execution environment. Managed Instances accept Lambda's managed runtimes
    /// (.NET 8 and later), not a .NET bootstrap on the OS-only runtime, so the functions are then built for the
    /// managed .NET 10 runtime (an executable assembly, not Native AOT).
    /// </summary>
    public bool ManagedInstances { get; init; }

    /// <summary>Most invocations one execution environment takes at once on Managed Instances (1 to 1600); null leaves
    /// Lambda's default (for .NET, 32 per vCPU).</summary>
    public int? PerExecutionEnvironmentMaxConcurrency { get; init; }

    /// <summary>Subnets of an existing VPC for the capacity provider's instances (they need a route to Momento and to
    /// Secrets Manager); empty creates a VPC with a NAT gateway.</summary>
    public IReadOnlyList<string> ManagedInstancesSubnetIds { get; init; } = [];

    /// <summary>Security groups for the capacity provider's instances, with <see cref="ManagedInstancesSubnetIds"/>.</summary>
    public IReadOnlyList<string> ManagedInstancesSecurityGroupIds { get; init; } = [];

    /// <summary>Repository root holding src/; null means "find it from the working directory".</summary>
    public string? RepoRoot { get; init; }

    /// <summary>The publisher's reserved concurrency as deployed: <see cref="ReservedConcurrency"/>, or the function URL door's default.</summary>
    public int? EffectiveReservedConcurrency =>
        ReservedConcurrency ?? (FrontDoor == FrontDoor.FunctionUrl ? DefaultFunctionUrlReservedConcurrency : null);

    /// <summary>True when an existing secret is imported rather than created.</summary>
    public bool ImportsSecret => SecretName is not null || SecretArn is not null;

    /// <summary>Reads every setting from <paramref name="tryGetContext"/> (e.g. <c>app.Node.TryGetContext</c>) and validates the result.</summary>
    /// <exception cref="ArgumentException">A value is malformed or the values contradict each other; the message names the context key.</exception>
    public static PublisherStackSettings FromContext(Func<string, object?> tryGetContext)
    {
        ArgumentNullException.ThrowIfNull(tryGetContext);
        var context = new ContextReader(tryGetContext);
        var managedInstances = context.Bool(ContextKeys.ManagedInstances) ?? false;
        var defaultMemory = managedInstances ? ManagedInstancesMinMemorySize : DefaultMemorySize;
        var settings = new PublisherStackSettings
        {
            StackName = context.String(ContextKeys.StackName) ?? DefaultStackName,
            CacheName = context.String(ContextKeys.CacheName) ?? DefaultCacheName,
            SecretName = context.String(ContextKeys.SecretName),
            SecretArn = context.String(ContextKeys.SecretArn),
            SecretKmsKeyArn = context.String(ContextKeys.SecretKmsKeyArn),
            MomentoEndpoint = context.String(ContextKeys.MomentoEndpoint),
            AuthMode = context.Choice(ContextKeys.AuthMode, ApiAuthMode.ApiKey, ("apiKey", ApiAuthMode.ApiKey), ("iam", ApiAuthMode.Iam)),
            FrontDoor = context.Choice(ContextKeys.FrontDoor, FrontDoor.RestApi, [.. FrontDoors.All]),
            HttpApiAuth = context.Choice(ContextKeys.HttpApiAuth, HttpApiAuth.Iam, ("iam", HttpApiAuth.Iam), ("jwt", HttpApiAuth.Jwt)),
            JwtIssuer = context.String(ContextKeys.JwtIssuer),
            JwtAudience = context.List(ContextKeys.JwtAudience),
            ReservedConcurrency = context.Int(ContextKeys.ReservedConcurrency),
            ThrottleRateLimit = context.Int(ContextKeys.ThrottleRateLimit) ?? DefaultThrottleRateLimit,
            ThrottleBurstLimit = context.Int(ContextKeys.ThrottleBurstLimit) ?? DefaultThrottleBurstLimit,
            QuotaPerDay = context.Int(ContextKeys.QuotaPerDay) ?? DefaultQuotaPerDay,
            MemorySize = context.Int(ContextKeys.MemorySize) ?? defaultMemory,
            SubscriberMemorySize = context.Int(ContextKeys.SubscriberMemorySize) ?? (managedInstances ? ManagedInstancesMinMemorySize : DefaultSubscriberMemorySize),
            SubscriberReservedConcurrency = context.Int(ContextKeys.SubscriberReservedConcurrency) ?? DefaultSubscriberReservedConcurrency,
            Architecture = context.Choice(
                ContextKeys.Architecture, FunctionArchitecture.X64, ("x86_64", FunctionArchitecture.X64), ("arm64", FunctionArchitecture.Arm64)),
            ParamsAndSecretsLayerArn = context.String(ContextKeys.ParamsAndSecretsLayerArn),
            LogRetentionDays = context.Int(ContextKeys.LogRetentionDays) ?? DefaultLogRetentionDays,
            TopicPrefixes = context.List(ContextKeys.TopicPrefixes),
            PublishTimeoutMs = context.Int(ContextKeys.PublishTimeoutMs) ?? DefaultPublishTimeoutMs,
            FunctionTimeoutSeconds = context.Int(ContextKeys.FunctionTimeoutSeconds) ?? DefaultFunctionTimeoutSeconds,
            SubscriberTimeoutSeconds = context.Int(ContextKeys.SubscriberTimeoutSeconds) ?? DefaultSubscriberTimeoutSeconds,
            VerifyMaxListenMs = context.Int(ContextKeys.VerifyMaxListenMs) ?? DefaultVerifyMaxListenMs,
            SecretsManagerTtlSeconds = context.Int(ContextKeys.SecretsManagerTtlSeconds) ?? DefaultSecretsManagerTtlSeconds,
            PublishFailureAlarmThreshold = context.Int(ContextKeys.PublishFailureAlarmThreshold) ?? DefaultPublishFailureAlarmThreshold,
            AlarmTopicArn = context.String(ContextKeys.AlarmTopicArn),
            Dashboard = context.Bool(ContextKeys.Dashboard) ?? true,
            ProblemTypeBaseUri = context.String(ContextKeys.ProblemTypeBaseUri),
            PrebuiltPublisherDir = context.String(ContextKeys.PrebuiltPublisherDir),
            PrebuiltSubscriberDir = context.String(ContextKeys.PrebuiltSubscriberDir),
            SkipBundling = context.Bool(ContextKeys.SkipBundling) ?? false,
            NativeAot = context.Bool(ContextKeys.NativeAot, allowAuto: true),
            AwsLambdaPackages = context.Bool(ContextKeys.AwsLambdaPackages) ?? false,
            ManagedInstances = managedInstances,
            PerExecutionEnvironmentMaxConcurrency = context.Int(ContextKeys.PerExecutionEnvironmentMaxConcurrency),
            ManagedInstancesSubnetIds = context.List(ContextKeys.ManagedInstancesSubnetIds),
            ManagedInstancesSecurityGroupIds = context.List(ContextKeys.ManagedInstancesSecurityGroupIds),
            RepoRoot = context.String(ContextKeys.RepoRoot),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value and their combinations; the stack calls this too, so hand-built settings are held to the same rules.</summary>
    /// <exception cref="ArgumentException">The first problem found, naming the context key to change.</exception>
    public void Validate() => SettingsValidator.Validate(this);
}
