using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Publisher.Cdk.Constructs;
using Publisher.Cdk.Internal;
using Publisher.Contracts;

namespace Publisher.Cdk;

/// <summary>The whole deployment: the Momento key's secret, the publisher and subscriber functions, one front door (REST API, HTTP API or function URLs), alarms, a dashboard and outputs.</summary>
public sealed class PublisherStack : Stack
{
    /// <summary>The publisher's project, relative to the repository root (built during synth unless prebuilt).</summary>
    public const string PublisherProject = "src/Publisher.Function/Publisher.Function.csproj";
    /// <summary>The subscriber's project, relative to the repository root (built during synth unless prebuilt).</summary>
    public const string SubscriberProject = "src/Subscriber.Function/Subscriber.Function.csproj";

    /// <summary>The publisher's CloudFormation logical id, fixed (no hash) so <c>sam local invoke PublisherFunction</c> works.</summary>
    public const string PublisherFunctionLogicalId = "PublisherFunction";

    /// <summary>The subscriber's CloudFormation logical id, fixed (no hash) so <c>sam local invoke SubscriberFunction</c> works.</summary>
    public const string SubscriberFunctionLogicalId = "SubscriberFunction";

    /// <summary>The secret holding the Momento key.</summary>
    public MomentoApiKeySecret ApiKeySecret { get; }

    /// <summary>The publisher function.</summary>
    public MomentoFunction Publisher { get; }

    /// <summary>The subscriber (verification) function.</summary>
    public MomentoFunction Subscriber { get; }

    /// <summary>The REST API, or null when the stack has another front door.</summary>
    public TopicsApi? Api { get; }

    /// <summary>The HTTP API, or null when the stack has another front door.</summary>
    public TopicsHttpApi? HttpApi { get; }

    /// <summary>The function URLs, or null when the stack has another front door.</summary>
    public TopicsFunctionUrls? FunctionUrls { get; }

    /// <summary>How callers reach the functions: whichever of <see cref="Api"/>, <see cref="HttpApi"/> and <see cref="FunctionUrls"/> the settings chose.</summary>
    public IFrontDoor FrontDoor { get; }

    /// <summary>The alarms.</summary>
    public PublisherAlarms Alarms { get; }

    /// <summary>The CloudWatch dashboard, or null when the settings turn it off.</summary>
    public PublisherDashboard? Dashboard { get; }

    /// <summary>The Lambda Managed Instances capacity provider both functions run on, or null (on-demand Lambda).</summary>
    public ManagedInstancesCapacity? Capacity { get; }

    /// <param name="scope">The app.</param>
    /// <param name="id">Construct id (the CloudFormation stack name unless <paramref name="props"/> sets one).</param>
    /// <param name="settings">Validated again here, so hand-built settings obey the same rules.</param>
    /// <param name="props">Environment and other stack options.</param>
    public PublisherStack(Construct scope, string id, PublisherStackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();

        ApiKeySecret = new MomentoApiKeySecret(this, "MomentoApiKey", new MomentoApiKeySecretProps
        {
            ExistingSecretName = settings.SecretName,
            ExistingSecretArn = settings.SecretArn,
        });

        Publisher = new MomentoFunction(this, "Publisher", new MomentoFunctionProps
        {
            Description = "Publishes API Gateway requests to Momento Topics.",
            Code = FunctionCodeFactory.Create(this, settings, PublisherProject, settings.PrebuiltPublisherDir),
            Secret = ApiKeySecret.Secret,
            SecretKmsKeyArn = settings.SecretKmsKeyArn,
            Environment = FunctionEnvironment.Publisher(settings, ApiKeySecret.SecretId),
            MemorySize = settings.MemorySize,
            TimeoutSeconds = settings.FunctionTimeoutSeconds,
            Architecture = settings.Architecture,
            LogRetentionDays = settings.LogRetentionDays,
            SecretsManagerTtlSeconds = settings.SecretsManagerTtlSeconds,
            ExecutableAssembly = settings.ManagedInstances ? Path.GetFileNameWithoutExtension(PublisherProject) : null,
            ParamsAndSecretsLayerArn = settings.ParamsAndSecretsLayerArn,
        });
        FixLogicalId(Publisher, PublisherFunctionLogicalId);

        Subscriber = new MomentoFunction(this, "Subscriber", new MomentoFunctionProps
        {
            Description = "Runs bounded Momento Topics subscriptions to verify that publishes arrive.",
            Code = FunctionCodeFactory.Create(this, settings, SubscriberProject, settings.PrebuiltSubscriberDir),
            Secret = ApiKeySecret.Secret,
            SecretKmsKeyArn = settings.SecretKmsKeyArn,
            Environment = FunctionEnvironment.Subscriber(settings, ApiKeySecret.SecretId),
            MemorySize = settings.SubscriberMemorySize,
            TimeoutSeconds = settings.SubscriberTimeoutSeconds,
            ReservedConcurrency = settings.SubscriberReservedConcurrency,
            Architecture = settings.Architecture,
            LogRetentionDays = settings.LogRetentionDays,
            SecretsManagerTtlSeconds = settings.SecretsManagerTtlSeconds,
            ExecutableAssembly = settings.ManagedInstances ? Path.GetFileNameWithoutExtension(SubscriberProject) : null,
            ParamsAndSecretsLayerArn = settings.ParamsAndSecretsLayerArn,
        });
        FixLogicalId(Subscriber, SubscriberFunctionLogicalId);

        if (settings.ManagedInstances)
        {
            Capacity = new ManagedInstancesCapacity(this, "Capacity", settings);
            Capacity.Attach(Publisher);
            Capacity.Attach(Subscriber);
        }

        FrontDoor = settings.FrontDoor switch
        {
            Contracts.FrontDoor.HttpApi => HttpApi = new TopicsHttpApi(this, "TopicsHttpApi", new TopicsHttpApiProps
            {
                Publisher = Publisher.Function,
                Subscriber = Subscriber.Function,
                Auth = settings.HttpApiAuth,
                JwtIssuer = settings.JwtIssuer,
                JwtAudience = settings.JwtAudience,
                ThrottleRateLimit = settings.ThrottleRateLimit,
                ThrottleBurstLimit = settings.ThrottleBurstLimit,
                LogRetentionDays = settings.LogRetentionDays,
                ProblemTypeBaseUri = settings.ProblemTypeBaseUri,
            }),
            Contracts.FrontDoor.FunctionUrl => FunctionUrls = new TopicsFunctionUrls(this, "TopicsFunctionUrls", new TopicsFunctionUrlsProps
            {
                Publisher = Publisher.Function,
                Subscriber = Subscriber.Function,
                ReservedConcurrency = settings.EffectiveReservedConcurrency ?? PublisherStackSettings.DefaultFunctionUrlReservedConcurrency,
                ProblemTypeBaseUri = settings.ProblemTypeBaseUri,
            }),
            _ => Api = new TopicsApi(this, "TopicsApi", new TopicsApiProps
            {
                Publisher = Publisher.Function,
                Subscriber = Subscriber.Function,
                AuthMode = settings.AuthMode,
                ThrottleRateLimit = settings.ThrottleRateLimit,
                ThrottleBurstLimit = settings.ThrottleBurstLimit,
                QuotaPerDay = settings.QuotaPerDay,
                ProblemTypeBaseUri = settings.ProblemTypeBaseUri,
                VerifyConcurrency = settings.SubscriberReservedConcurrency,
                VerifyMaxListenMs = settings.VerifyMaxListenMs,
            }),
        };

        if (settings.FrontDoor != Contracts.FrontDoor.FunctionUrl && settings.EffectiveReservedConcurrency is { } reserved)
        {
            ((CfnFunction)Publisher.Function.Node.DefaultChild!).ReservedConcurrentExecutions = reserved;
        }

        // The functions' problem types point where the door's pages are (the door exists before its integrations need them).
        Publisher.Function.AddEnvironment(EnvironmentVariables.ProblemTypeBaseUri, FrontDoor.PublisherProblemTypeBaseUri);
        Subscriber.Function.AddEnvironment(EnvironmentVariables.ProblemTypeBaseUri, FrontDoor.SubscriberProblemTypeBaseUri);

        Alarms = new PublisherAlarms(this, "Alarms", new PublisherAlarmsProps
        {
            Api = FrontDoor,
            Publisher = Publisher.Function,
            Subscriber = Subscriber.Function,
            PublishFailureThreshold = settings.PublishFailureAlarmThreshold,
            AlarmTopicArn = settings.AlarmTopicArn,
        });

        if (settings.Dashboard)
        {
            Dashboard = new PublisherDashboard(this, "Dashboard", new PublisherDashboardProps
            {
                Api = FrontDoor,
                Publisher = Publisher,
                Subscriber = Subscriber,
                Alarms = Alarms.Alarms,
            });
        }

        AddOutputs();
    }

    /// <summary>Stops (one line naming the region and the context key) when no extension layer is known for <paramref name="region"/>.</summary>
    /// <exception cref="ArgumentException">The region has no known layer for the settings' architecture and no override was given.</exception>
    public static void CheckLayerRegion(PublisherStackSettings settings, string region)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ParamsAndSecretsLayerArn is null && ParamsAndSecretsLayer.KnownArn(region, settings.Architecture) is null)
        {
            throw new ArgumentException(ParamsAndSecretsLayer.MissingMessage(region, settings.Architecture));
        }
    }

    // References to the function (permissions, alarms, outputs, the API's integrations) resolve
    // the id lazily, so they all follow the override.
    private static void FixLogicalId(MomentoFunction function, string logicalId) =>
        ((CfnFunction)function.Function.Node.DefaultChild!).OverrideLogicalId(logicalId);

    private void AddOutputs()
    {
        foreach (var output in FrontDoor.Outputs)
        {
            Output(output.Id, output.Value, output.Description);
        }

        Output("SecretArn", ApiKeySecret.Secret.SecretArn, "Secrets Manager secret the functions read the Momento key from.");
        Output("PutSecretCommand",
            $"aws secretsmanager put-secret-value --secret-id {ApiKeySecret.SecretId} --secret-string '<momento-api-key>'",
            "Stores the Momento API key in the secret (replace the placeholder; running functions pick a new key up at their next authentication failure).");
        Output("PublisherFunctionName", Publisher.Function.FunctionName, "The publisher Lambda function.");
        Output("SubscriberFunctionName", Subscriber.Function.FunctionName, "The subscriber Lambda function.");
        if (Dashboard is not null)
        {
            Output("DashboardUrl", Dashboard.Url, "The stack's CloudWatch dashboard: publishes, failures, latency, cold starts, API and Lambda health, alarms.");
        }
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
