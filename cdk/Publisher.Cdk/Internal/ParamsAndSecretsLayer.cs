using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.RegionInfo;
using Constructs;

namespace Publisher.Cdk.Internal;

/// <summary>
/// Which Parameters and Secrets extension layer a function gets in each region. The ARNs come from one place, the CDK's
/// own region facts (aws-cdk-lib 2.160.0, <c>region-info</c>, layer version 1.0.103); where those have none (in 2.160:
/// ap-southeast-4/5/7, ca-west-1, il-central-1 and mx-central-1, and for arm64 also ap-northeast-3, ap-south-2,
/// eu-central-2, eu-south-2 and me-central-1), <c>-c paramsAndSecretsLayerArn=</c> takes the ARN AWS publishes for
/// the region. Decided 2026-12-03: no ARNs are copied in here, because an ARN that cannot be checked would fail the
/// deployment later and less clearly than synth does now.
/// </summary>
internal static partial class ParamsAndSecretsLayer
{
    /// <summary>The extension version whose ARNs the CDK's facts list.</summary>
    public const string Version = "1.0.103";

    /// <summary>The commercial regions (partition <c>aws</c>) the CDK knows; Lambda runs in each of them.</summary>
    public static IReadOnlyList<string> CommercialRegions { get; } =
        [.. RegionInfo.Regions.Where(r => r.Partition == "aws").Select(r => r.Name).Order(StringComparer.Ordinal)];

    /// <summary>The layer ARN the CDK knows for <paramref name="region"/> and <paramref name="architecture"/>, or null.</summary>
    public static string? KnownArn(string region, FunctionArchitecture architecture) =>
        RegionInfo.Get(region).ParamsAndSecretsLambdaLayerArn(Version, Name(architecture));

    /// <summary>
    /// The layer for a function in <paramref name="scope"/>'s stack: <paramref name="overrideArn"/> when given; else the
    /// CDK's ARN for the stack's region, or, for an environment-agnostic stack, the CDK's region map plus a template rule
    /// that stops the deployment in a region the map lacks.
    /// </summary>
    /// <exception cref="ArgumentException">The stack's region has no known layer and no override was given (one line naming both).</exception>
    public static ParamsAndSecretsLayerVersion For(Construct scope, FunctionArchitecture architecture, string? overrideArn, ParamsAndSecretsOptions options)
    {
        if (overrideArn is not null)
        {
            return ParamsAndSecretsLayerVersion.FromVersionArn(overrideArn, options);
        }

        var stack = Stack.Of(scope);
        if (!Token.IsUnresolved(stack.Region))
        {
            if (KnownArn(stack.Region, architecture) is null)
            {
                throw new ArgumentException(MissingMessage(stack.Region, architecture));
            }
        }
        else
        {
            AddRegionRule(stack, architecture);
        }

        return ParamsAndSecretsLayerVersion.FromVersion(ParamsAndSecretsVersions.V1_0_103, options);
    }

    /// <summary>The one line that says what to do about a region without a known layer.</summary>
    public static string MissingMessage(string region, FunctionArchitecture architecture) =>
        $"The Parameters and Secrets extension layer has no ARN known for {region} ({Name(architecture)}): pass the one AWS publishes for that region " +
        $"with -c {ContextKeys.ParamsAndSecretsLayerArn}=arn:aws:lambda:{region}:<account>:layer:AWS-Parameters-and-Secrets-Lambda-Extension{(architecture == FunctionArchitecture.Arm64 ? "-Arm64" : string.Empty)}:<version>.";

    /// <summary>True when <paramref name="arn"/> looks like a Lambda layer version ARN.</summary>
    public static bool IsLayerArn(string arn) => LayerArnPattern().IsMatch(arn);

    // One rule per stack: both functions share the architecture, so the regions covered are the same.
    private static void AddRegionRule(Stack stack, FunctionArchitecture architecture)
    {
        const string id = "ParamsAndSecretsLayerRegion";
        if (stack.Node.TryFindChild(id) is not null)
        {
            return;
        }

        var covered = CommercialRegions.Concat(RegionInfo.Regions.Select(r => r.Name))
            .Distinct(StringComparer.Ordinal)
            .Where(region => KnownArn(region, architecture) is not null)
            .Order(StringComparer.Ordinal)
            .ToArray();
        _ = new CfnRule(stack, id, new CfnRuleProps
        {
            Assertions =
            [
                new CfnRuleAssertion
                {
                    Assert = Fn.ConditionContains(covered, Aws.REGION),
                    AssertDescription = $"The Parameters and Secrets extension layer has no ARN known for this region ({Name(architecture)}): " +
                        $"synthesize again with -c {ContextKeys.ParamsAndSecretsLayerArn}=<the layer ARN AWS publishes for the region>.",
                },
            ],
        });
    }

    private static string Name(FunctionArchitecture architecture) => architecture == FunctionArchitecture.Arm64 ? "arm64" : "x86_64";

    [GeneratedRegex(@"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$")]
    private static partial Regex LayerArnPattern();
}
