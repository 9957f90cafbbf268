using System.Text.Json;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class FunctionTests(StackFixture fixture)
{
    private static JsonElement Function(SynthesizedStack stack, MomentoFunctionSelector which) =>
        stack.PropertiesOf(which == MomentoFunctionSelector.Publisher ? stack.Stack.Publisher.Function : stack.Stack.Subscriber.Function);

    public enum MomentoFunctionSelector
    {
        Publisher,
        Subscriber,
    }

    /// <summary>The function's own variables, without the ones the extension layer configuration adds.</summary>
    private static Dictionary<string, string> OwnEnvironment(JsonElement function, out JsonElement all)
    {
        all = function.GetProperty("Environment").GetProperty("Variables");
        var secretId = all.GetProperty("MOMENTO_API_KEY_SECRET_ID");
        return all.EnumerateObject()
            .Where(v => !v.Name.StartsWith("PARAMETERS_SECRETS_EXTENSION_", StringComparison.Ordinal)
                && !v.Name.StartsWith("SECRETS_MANAGER_", StringComparison.Ordinal)
                && !v.Name.StartsWith("SSM_PARAMETER_STORE_", StringComparison.Ordinal))
            .ToDictionary(
                v => v.Name,
                v => v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString()! : "<token:" + v.Value.GetRawText() + ">");
    }

    [Theory]
    [InlineData(MomentoFunctionSelector.Publisher, 256, 10)]
    [InlineData(MomentoFunctionSelector.Subscriber, 256, 30)]
    public void Defaults_Function_RunsBootstrapOnProvidedAl2023(MomentoFunctionSelector which, int memory, int timeout)
    {
        var function = Function(fixture.Defaults, which);

        Assert.Equal("provided.al2023", function.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.GetProperty("Handler").GetString());
        Assert.Equal(["x86_64"], function.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(memory, function.GetProperty("MemorySize").Int());
        Assert.Equal(timeout, function.GetProperty("Timeout").Int());
        Assert.Equal("Active", function.GetProperty("TracingConfig").GetProperty("Mode").GetString());
    }

    [Theory]
    [InlineData(MomentoFunctionSelector.Publisher, 512, 6)]
    [InlineData(MomentoFunctionSelector.Subscriber, 384, 20)]
    public void Customized_Function_UsesArm64MemoryAndTimeoutFromSettings(MomentoFunctionSelector which, int memory, int timeout)
    {
        var function = Function(fixture.Customized, which);

        Assert.Equal(["arm64"], function.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(memory, function.GetProperty("MemorySize").Int());
        Assert.Equal(timeout, function.GetProperty("Timeout").Int());
    }

    [Fact]
    public void Defaults_PublisherEnvironment_IsExactlyCacheSecretAndLimits()
    {
        var stack = fixture.Defaults;
        var env = OwnEnvironment(Function(stack, MomentoFunctionSelector.Publisher), out var all);

        var secretRef = stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.ApiKeySecret.Secret.Node.DefaultChild!);
        Assert.Equal(CfnValue.Render(all.GetProperty("PROBLEM_TYPE_BASE_URI")), ApiDocsTests.ExpectedTypeBase(stack));
        env.Remove("PROBLEM_TYPE_BASE_URI");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["MOMENTO_CACHE_NAME"] = "default-cache",
                ["MOMENTO_API_KEY_SECRET_ID"] = $"<token:{{\"Ref\":\"{secretRef}\"}}>",
                ["PUBLISH_TIMEOUT_MS"] = "5000",
                ["MOMENTO_LOCAL_ENDPOINT"] = string.Empty,
                ["MAX_VALUE_BYTES"] = "4096",
                ["MAX_BODY_BYTES"] = "1048576",
                ["MAX_BATCH_MESSAGES"] = "100",
                ["IDEMPOTENCY_TTL_SECONDS"] = "86400",
            }.OrderBy(p => p.Key),
            env.OrderBy(p => p.Key));
        Assert.Equal("300", all.GetProperty("SECRETS_MANAGER_TTL").GetString());
    }

    [Fact]
    public void Defaults_SubscriberEnvironment_IsExactlyCacheSecretAndListenBound()
    {
        var stack = fixture.Defaults;
        var env = OwnEnvironment(Function(stack, MomentoFunctionSelector.Subscriber), out _);

        Assert.Equal(
            ["MOMENTO_API_KEY_SECRET_ID", "MOMENTO_CACHE_NAME", "MOMENTO_LOCAL_ENDPOINT", "PROBLEM_TYPE_BASE_URI", "PUBLISH_TIMEOUT_MS", "VERIFY_MAX_LISTEN_MS"],
            env.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("25000", env["VERIFY_MAX_LISTEN_MS"]);
        Assert.Equal("default-cache", env["MOMENTO_CACHE_NAME"]);
    }

    [Fact]
    public void Customized_PublisherEnvironment_CarriesEndpointPrefixesAndSecretName()
    {
        var stack = fixture.Customized;
        var env = OwnEnvironment(Function(stack, MomentoFunctionSelector.Publisher), out var all);

        Assert.Equal("orders-cache", env["MOMENTO_CACHE_NAME"]);
        Assert.Equal(StackFixture.ImportedSecretName, env["MOMENTO_API_KEY_SECRET_ID"]);
        Assert.Equal(StackFixture.Endpoint, env["MOMENTO_ENDPOINT"]);
        Assert.Equal("orders-,audit-", env["ALLOWED_TOPIC_PREFIXES"]);
        Assert.Equal("3000", env["PUBLISH_TIMEOUT_MS"]);
        Assert.Equal("120", all.GetProperty("SECRETS_MANAGER_TTL").GetString());
    }

    [Fact]
    public void Customized_SubscriberEnvironment_CarriesEndpointAndTheAllowlistButNoPublisherLimits()
    {
        var stack = fixture.Customized;
        var env = OwnEnvironment(Function(stack, MomentoFunctionSelector.Subscriber), out _);

        Assert.Equal(StackFixture.Endpoint, env["MOMENTO_ENDPOINT"]);
        Assert.Equal("15000", env["VERIFY_MAX_LISTEN_MS"]);
        // What a caller may publish to is what it may verify.
        Assert.Equal("orders-,audit-", env["ALLOWED_TOPIC_PREFIXES"]);
        Assert.DoesNotContain("MAX_VALUE_BYTES", env.Keys);
    }

    [Fact]
    public void Defaults_Subscriber_HasSmallReservedConcurrencyAndThePublisherNone()
    {
        Assert.Equal(
            PublisherStackSettings.DefaultSubscriberReservedConcurrency,
            Function(fixture.Defaults, MomentoFunctionSelector.Subscriber).GetProperty("ReservedConcurrentExecutions").Int());
        Assert.False(Function(fixture.Defaults, MomentoFunctionSelector.Publisher).TryGetProperty("ReservedConcurrentExecutions", out _));
        Assert.Equal(3, Function(fixture.Customized, MomentoFunctionSelector.Subscriber).GetProperty("ReservedConcurrentExecutions").Int());
    }

    [Theory]
    [InlineData(false, 5, 0.2)]
    [InlineData(true, 3, 0.2)]
    public void Stage_VerifyMethods_HaveTheirOwnThrottleSizedToTheReservedConcurrency(bool customized, int burst, double rate)
    {
        var stack = customized ? fixture.Customized : fixture.Defaults;
        var settings = stack.Single("AWS::ApiGateway::Stage").GetProperty("MethodSettings").EnumerateArray().ToList();

        foreach (var method in new[] { "GET", "POST" })
        {
            var verify = Assert.Single(settings, s => s.GetProperty("HttpMethod").GetString() == method && s.GetProperty("ResourcePath").GetString() == "/~1verify");
            Assert.Equal(burst, verify.GetProperty("ThrottlingBurstLimit").Int());
            Assert.Equal(rate, verify.GetProperty("ThrottlingRateLimit").GetDouble(), 3);
        }
    }

    [Fact]
    public void Defaults_Functions_OmitOptionalVariablesThatAreNotSet()
    {
        var stack = fixture.Defaults;
        foreach (var which in Enum.GetValues<MomentoFunctionSelector>())
        {
            var env = OwnEnvironment(Function(stack, which), out _);
            Assert.DoesNotContain("MOMENTO_ENDPOINT", env.Keys);
            Assert.DoesNotContain("ALLOWED_TOPIC_PREFIXES", env.Keys);
        }
    }

    [Theory]
    [InlineData(MomentoFunctionSelector.Publisher)]
    [InlineData(MomentoFunctionSelector.Subscriber)]
    public void Defaults_Function_HasTheSecretsExtensionLayerWithCacheOn(MomentoFunctionSelector which)
    {
        var function = Function(fixture.Defaults, which);
        var all = function.GetProperty("Environment").GetProperty("Variables");

        var layer = Assert.Single(function.GetProperty("Layers").EnumerateArray());
        // Environment-agnostic stack: the regional layer ARN is looked up from a map CDK writes.
        Assert.True(layer.TryGetProperty("Fn::FindInMap", out var lookup), layer.GetRawText());
        var mapName = lookup[0].GetString()!;
        var map = fixture.Defaults.Json.GetProperty("Mappings").GetProperty(mapName).GetRawText();
        Assert.Contains("AWS-Parameters-and-Secrets-Lambda-Extension", map, StringComparison.Ordinal);
        Assert.Equal("true", all.GetProperty("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED").GetString());
        Assert.Equal("2773", all.GetProperty("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT").GetString());
        Assert.Equal("300", all.GetProperty("SECRETS_MANAGER_TTL").GetString());
    }

    [Fact]
    public void Customized_Layer_IsTheArm64Build()
    {
        var function = Function(fixture.Customized, MomentoFunctionSelector.Publisher);
        var layer = Assert.Single(function.GetProperty("Layers").EnumerateArray());
        var mapName = layer.GetProperty("Fn::FindInMap")[0].GetString()!;
        var key = layer.GetProperty("Fn::FindInMap")[2].GetString()!;

        Assert.Contains("arm64", key, StringComparison.Ordinal);
        var map = fixture.Customized.Json.GetProperty("Mappings").GetProperty(mapName).GetRawText();
        Assert.Contains("Arm64", map, StringComparison.Ordinal);
    }
}
