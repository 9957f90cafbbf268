using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Publisher.Cdk.Internal;
using LambdaFunction = Amazon.CDK.AWS.Lambda.Function;
using LambdaArchitecture = Amazon.CDK.AWS.Lambda.Architecture;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// A Native AOT <c>bootstrap</c> function on <c>provided.al2023</c> (or, for Lambda Managed Instances, the same program
/// on the managed .NET 10 runtime) that reads the Momento key from Secrets Manager through the Parameters and Secrets
/// extension, with its own JSON log group and tracing.
/// </summary>
public sealed class MomentoFunction : Construct
{
    /// <summary>Values accepted by <see cref="MomentoFunctionProps.LogRetentionDays"/>, mapped to CDK's enum.</summary>
    /// <summary>The managed .NET 10 runtime; CDK 2.160 predates it, so it is named here.</summary>
    internal static readonly Runtime DotNet10 = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    internal static readonly IReadOnlyDictionary<int, RetentionDays> RetentionByDays = new Dictionary<int, RetentionDays>
    {
        [1] = RetentionDays.ONE_DAY,
        [3] = RetentionDays.THREE_DAYS,
        [5] = RetentionDays.FIVE_DAYS,
        [7] = RetentionDays.ONE_WEEK,
        [14] = RetentionDays.TWO_WEEKS,
        [30] = RetentionDays.ONE_MONTH,
        [60] = RetentionDays.TWO_MONTHS,
        [90] = RetentionDays.THREE_MONTHS,
        [120] = RetentionDays.FOUR_MONTHS,
        [150] = RetentionDays.FIVE_MONTHS,
        [180] = RetentionDays.SIX_MONTHS,
        [365] = RetentionDays.ONE_YEAR,
        [400] = RetentionDays.THIRTEEN_MONTHS,
        [545] = RetentionDays.EIGHTEEN_MONTHS,
        [731] = RetentionDays.TWO_YEARS,
        [1096] = RetentionDays.THREE_YEARS,
        [1827] = RetentionDays.FIVE_YEARS,
        [2192] = RetentionDays.SIX_YEARS,
        [2557] = RetentionDays.SEVEN_YEARS,
        [2922] = RetentionDays.EIGHT_YEARS,
        [3288] = RetentionDays.NINE_YEARS,
        [3653] = RetentionDays.TEN_YEARS,
    };

    /// <summary>The Lambda function.</summary>
    public LambdaFunction Function { get; }

    /// <summary>The function's own log group (created here so retention is a plain property, not a custom resource).</summary>
    public LogGroup LogGroup { get; }

    /// <summary>Creates the function with its log group, the secrets extension layer and read access to the key's secret.</summary>
    /// <param name="scope">The parent construct (the stack).</param>
    /// <param name="id">Construct id, unique within <paramref name="scope"/>.</param>
    /// <param name="props">What to build; required.</param>
    public MomentoFunction(Construct scope, string id, MomentoFunctionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!RetentionByDays.TryGetValue(props.LogRetentionDays, out var retention))
        {
            throw new ArgumentException($"Log retention of {props.LogRetentionDays} days is not one CloudWatch Logs accepts.", nameof(props));
        }

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = retention,
            // The logs belong to this deployment: `cdk destroy` removes them with the function.
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        // A role of its own without AWSLambdaBasicExecutionRole (logs on every group in the account): the function may
        // write only to its own log group, granted below.
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"{props.Description} Writes only its own log group and reads only the Momento key's secret.",
        });

        Function = new LambdaFunction(this, "Function", new FunctionProps
        {
            Role = role,
            Description = props.Description,
            // An executable assembly's handler is its name: the runtime runs its Main, which polls the Runtime API itself.
            Runtime = props.ExecutableAssembly is null ? Runtime.PROVIDED_AL2023 : DotNet10,
            Handler = props.ExecutableAssembly ?? "bootstrap",
            Code = props.Code,
            Architecture = props.Architecture == FunctionArchitecture.Arm64 ? LambdaArchitecture.ARM_64 : LambdaArchitecture.X86_64,
            MemorySize = props.MemorySize,
            Timeout = Duration.Seconds(props.TimeoutSeconds),
            ReservedConcurrentExecutions = props.ReservedConcurrency,
            Environment = props.Environment.ToDictionary(pair => pair.Key, pair => pair.Value),
            ParamsAndSecrets = ParamsAndSecretsLayer.For(this, props.Architecture, props.ParamsAndSecretsLayerArn, new ParamsAndSecretsOptions
            {
                CacheEnabled = true,
                // One secret is all either function reads.
                CacheSize = 10,
                SecretsManagerTtl = Duration.Seconds(props.SecretsManagerTtlSeconds),
                LogLevel = ParamsAndSecretsLogLevel.WARN,
            }),
            LogGroup = LogGroup,
            LoggingFormat = LoggingFormat.JSON,
            // Stated, not left to the default: the invocation records carry the metrics (EMF) and are INFO lines, and
            // with the JSON format Lambda drops application lines below this level, metrics included.
            ApplicationLogLevelV2 = ApplicationLogLevel.INFO,
            Tracing = Tracing.ACTIVE,
        });

        props.Secret.GrantRead(Function);
        LogGroup.GrantWrite(Function);
        if (props.SecretKmsKeyArn is { } keyArn)
        {
            // The key decrypts for Secrets Manager only (kms:ViaService), not for any other use of the role.
            Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["kms:Decrypt"],
                Resources = [keyArn],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"secretsmanager.{Aws.REGION}.amazonaws.com" },
                },
            }));
        }
    }
}
