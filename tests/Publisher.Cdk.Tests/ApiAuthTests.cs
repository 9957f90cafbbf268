using Amazon.CDK.Assertions;
using Publisher.Contracts.ApiDocs;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class ApiAuthTests(StackFixture fixture)
{
    private static readonly string[] FunctionRoutes = ["GET /verify", "POST /batch", "POST /topics", "POST /topics/{topicName}", "POST /verify"];

    /// <summary>The API's own documentation: mock integrations, open to anyone (see ApiDocsTests).</summary>
    private static readonly string[] DocumentationRoutes =
        ["GET /openapi.json", "GET /problems", .. ProblemCatalog.All.Select(e => "GET /problems/" + e.Slug)];

    private static readonly string[] ExpectedRoutes = [.. FunctionRoutes.Concat(DocumentationRoutes).Order(StringComparer.Ordinal)];

    private static bool IsFunctionMethod(System.Text.Json.JsonElement method) =>
        method.GetProperty("Integration").GetProperty("Type").GetString() != "MOCK";

    private static string[] Routes(SynthesizedStack stack) =>
        [.. stack.Methods().Select(m => m.Route).Order(StringComparer.Ordinal)];

    [Fact]
    public void Defaults_Routes_AreExactlyThePublishAndVerifyMethods()
    {
        Assert.Equal(ExpectedRoutes, Routes(fixture.Defaults));
        Assert.Equal(ExpectedRoutes, Routes(fixture.Customized));
    }

    [Fact]
    public void Defaults_EveryMethod_RequiresTheApiKey()
    {
        var methods = fixture.Defaults.Resources("AWS::ApiGateway::Method").Where(m => IsFunctionMethod(m.Properties)).ToList();

        Assert.Equal(FunctionRoutes.Length, methods.Count);
        Assert.All(methods, m =>
        {
            Assert.True(m.Properties.GetProperty("ApiKeyRequired").GetBoolean(), m.Id);
            Assert.Equal("NONE", m.Properties.GetProperty("AuthorizationType").GetString());
            Assert.Equal("AWS_PROXY", m.Properties.GetProperty("Integration").GetProperty("Type").GetString());
        });
    }

    [Fact]
    public void Customized_IamMode_EveryMethodUsesSigV4AndNoKeyExists()
    {
        var stack = fixture.Customized;
        var methods = stack.Resources("AWS::ApiGateway::Method").Where(m => IsFunctionMethod(m.Properties)).ToList();

        Assert.Equal(FunctionRoutes.Length, methods.Count);
        Assert.All(methods, m => Assert.Equal("AWS_IAM", m.Properties.GetProperty("AuthorizationType").GetString()));
        stack.Template.ResourceCountIs("AWS::ApiGateway::ApiKey", 0);
        stack.Template.ResourceCountIs("AWS::ApiGateway::UsagePlan", 0);
        stack.Template.ResourceCountIs("AWS::ApiGateway::UsagePlanKey", 0);
    }

    [Fact]
    public void AllStacks_NoFunctionMethod_IsOpenToAnonymousCallers()
    {
        foreach (var stack in fixture.All)
        {
            Assert.All(stack.Resources("AWS::ApiGateway::Method"), m =>
            {
                var auth = m.Properties.GetProperty("AuthorizationType").GetString();
                var keyRequired = m.Properties.TryGetProperty("ApiKeyRequired", out var k) && k.GetBoolean();
                Assert.True(auth == "AWS_IAM" || keyRequired || (!IsFunctionMethod(m.Properties) && m.Properties.GetProperty("HttpMethod").GetString() == "GET"), $"{m.Id} is unauthenticated");
                Assert.NotEqual("ANY", m.Properties.GetProperty("HttpMethod").GetString());
                Assert.NotEqual("OPTIONS", m.Properties.GetProperty("HttpMethod").GetString());
            });
        }
    }

    [Fact]
    public void Defaults_UsagePlan_ThrottlesAndSetsADailyQuotaOnTheProdStage()
    {
        var stack = fixture.Defaults;
        stack.Template.HasResourceProperties("AWS::ApiGateway::UsagePlan", new Dictionary<string, object>
        {
            ["Throttle"] = new Dictionary<string, object> { ["RateLimit"] = 50, ["BurstLimit"] = 100 },
            ["Quota"] = new Dictionary<string, object> { ["Limit"] = 100000, ["Period"] = "DAY" },
        });

        var plan = stack.Single("AWS::ApiGateway::UsagePlan");
        var apiStage = Assert.Single(plan.GetProperty("ApiStages").EnumerateArray());
        var stageId = Assert.Single(stack.Resources("AWS::ApiGateway::Stage")).Id;
        Assert.Equal(stageId, apiStage.GetProperty("Stage").GetProperty("Ref").GetString());
    }

    [Fact]
    public void Defaults_ApiKey_IsEnabledLinkedToThePlanAndHasNoValue()
    {
        var stack = fixture.Defaults;
        var (keyId, key) = Assert.Single(stack.Resources("AWS::ApiGateway::ApiKey"));
        var planId = Assert.Single(stack.Resources("AWS::ApiGateway::UsagePlan")).Id;
        var link = stack.Single("AWS::ApiGateway::UsagePlanKey");

        Assert.False(key.TryGetProperty("Value", out _));
        Assert.Equal(keyId, link.GetProperty("KeyId").GetProperty("Ref").GetString());
        Assert.Equal(planId, link.GetProperty("UsagePlanId").GetProperty("Ref").GetString());
        Assert.Equal("API_KEY", link.GetProperty("KeyType").GetString());
    }

    [Fact]
    public void Stage_ProdStage_HasTracingMetricsAndThrottling()
    {
        fixture.Defaults.Template.HasResourceProperties("AWS::ApiGateway::Stage", new Dictionary<string, object>
        {
            ["StageName"] = "prod",
            ["TracingEnabled"] = true,
            ["MethodSettings"] = Match.ArrayWith(
            [
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["MetricsEnabled"] = true, ["ThrottlingRateLimit"] = 50, ["ThrottlingBurstLimit"] = 100,
                }),
            ]),
        });
        fixture.Customized.Template.HasResourceProperties("AWS::ApiGateway::Stage", new Dictionary<string, object>
        {
            ["MethodSettings"] = Match.ArrayWith(
            [
                Match.ObjectLike(new Dictionary<string, object> { ["ThrottlingRateLimit"] = 7, ["ThrottlingBurstLimit"] = 9 }),
            ]),
        });
    }

    [Fact]
    public void Defaults_LambdaPermissions_AreScopedToEachRouteOnTheProdStage()
    {
        var permissions = fixture.Defaults.Resources("AWS::Lambda::Permission");

        Assert.Equal(5, permissions.Count);
        Assert.All(permissions, p =>
        {
            Assert.Equal("apigateway.amazonaws.com", p.Properties.GetProperty("Principal").GetString());
            var source = p.Properties.GetProperty("SourceArn").GetRawText();
            Assert.DoesNotContain("/test-invoke-stage/", source, StringComparison.Ordinal);
            Assert.DoesNotContain("/*/*", source, StringComparison.Ordinal);
        });
    }
}
