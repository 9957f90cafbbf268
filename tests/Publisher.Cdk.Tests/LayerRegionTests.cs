using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SecretsManager;
using Publisher.Cdk.Constructs;
using Publisher.Cdk.Internal;

namespace Publisher.Cdk.Tests;

/// <summary>
/// The Parameters and Secrets layer in every commercial region where Lambda runs, on both architectures: a function gets
/// the layer's ARN for its region, or construction stops with one line naming the region and the context key that takes one.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LayerRegionTests(StackFixture fixture)
{
    private const string OverrideArn = "arn:aws:lambda:ca-west-1:123456789012:layer:AWS-Parameters-and-Secrets-Lambda-Extension:9";

    public static TheoryData<FunctionArchitecture> Architectures => [FunctionArchitecture.X64, FunctionArchitecture.Arm64];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void EveryCommercialRegion_EitherGetsItsLayerOrStopsNamingTheRegionAndTheContextKey(FunctionArchitecture architecture)
    {
        Assert.Contains("us-east-1", ParamsAndSecretsLayer.CommercialRegions);
        Assert.Contains("ca-west-1", ParamsAndSecretsLayer.CommercialRegions);
        Assert.DoesNotContain(ParamsAndSecretsLayer.CommercialRegions, r => r.StartsWith("cn-", StringComparison.Ordinal) || r.StartsWith("us-gov-", StringComparison.Ordinal));
        var stopped = new List<string>();
        foreach (var region in ParamsAndSecretsLayer.CommercialRegions)
        {
            var layer = LayerIn(region, architecture, overrideArn: null, out var error);
            if (layer is null)
            {
                stopped.Add(region);
                Assert.DoesNotContain('\n', error);
                Assert.Contains(region, error, StringComparison.Ordinal);
                Assert.Contains("-c " + ContextKeys.ParamsAndSecretsLayerArn + "=", error, StringComparison.Ordinal);

                // The context key is the way out: with it the same region resolves to the ARN given.
                Assert.Equal(OverrideArn, LayerIn(region, architecture, OverrideArn, out _));
            }
            else
            {
                Assert.StartsWith($"arn:aws:lambda:{region}:", layer, StringComparison.Ordinal);
                Assert.Equal(architecture == FunctionArchitecture.Arm64, layer.Contains("-Arm64:", StringComparison.Ordinal));
            }
        }

        // CDK 2.160's facts lack these (the examples among them); every other commercial region resolves.
        Assert.Contains("ca-west-1", stopped);
        Assert.Contains("il-central-1", stopped);
        Assert.Contains("ap-southeast-5", stopped);
        Assert.DoesNotContain("us-east-1", stopped);
        Assert.DoesNotContain("eu-west-1", stopped);
        Assert.Equal(architecture == FunctionArchitecture.Arm64, stopped.Contains("eu-central-2"));
    }

    [Theory]
    [InlineData(false, "x86_64")]
    [InlineData(true, "arm64")]
    public void EnvironmentAgnosticTemplate_HasARuleThatStopsTheDeploymentWhereTheMapHasNoLayer(bool customized, string architecture)
    {
        var stack = customized ? fixture.Customized : fixture.Defaults;
        var rule = stack.Json.GetProperty("Rules").GetProperty("ParamsAndSecretsLayerRegion").GetProperty("Assertions")[0];
        var regions = rule.GetProperty("Assert").GetProperty("Fn::Contains")[0].EnumerateArray().Select(r => r.GetString()).ToList();

        Assert.Contains("us-east-1", regions);
        Assert.DoesNotContain("ca-west-1", regions);
        Assert.Equal(architecture == "x86_64", regions.Contains("eu-central-2"));
        Assert.Contains(architecture, rule.GetProperty("AssertDescription").GetString(), StringComparison.Ordinal);
        Assert.Contains(ContextKeys.ParamsAndSecretsLayerArn, rule.GetProperty("AssertDescription").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_LayerArnThatIsNotALayerVersionArn_IsRefusedNamingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new PublisherStackSettings { ParamsAndSecretsLayerArn = "arn:aws:s3:::bucket" }.Validate());

        Assert.Contains(ContextKeys.ParamsAndSecretsLayerArn, error.Message, StringComparison.Ordinal);
    }

    // The function's layer in a stack bound to the region (construction only: no synth per region), or null with the error.
    private static string? LayerIn(string region, FunctionArchitecture architecture, string? overrideArn, out string error)
    {
        var app = new App();
        var stack = new Stack(app, "Layer", new StackProps { Env = new Amazon.CDK.Environment { Account = "123456789012", Region = region } });
        try
        {
            var function = new MomentoFunction(stack, "Fn", new MomentoFunctionProps
            {
                Description = "layer probe",
                Code = Code.FromAsset(FunctionCodeFactory.PlaceholderDir),
                Secret = Secret.FromSecretNameV2(stack, "Key", "momento/key"),
                Environment = new Dictionary<string, string>(),
                MemorySize = 256,
                TimeoutSeconds = 10,
                Architecture = architecture,
                ParamsAndSecretsLayerArn = overrideArn,
            });
            error = string.Empty;
            var layers = (object[])stack.Resolve(((CfnFunction)function.Function.Node.DefaultChild!).Layers!)!;
            return (string)Assert.Single(layers);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
    }
}
