using System.Text.Json;
using Publisher.Contracts;

namespace Publisher.Cdk.Tests;

/// <summary>
/// The HTTP API and function URL doors (<c>-c frontDoor=httpApi</c>, <c>functionUrl</c>): every route that runs the
/// functions' work is authenticated (IAM or JWT; a function URL AWS_IAM), the door is throttled, it holds no key
/// material (KeyMaterialTests runs over these stacks too), and its outputs name its URLs. The REST API stacks stay as
/// they were (every other test class).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FrontDoorTests(StackFixture fixture)
{
    /// <summary>The routes that run the publisher's or the subscriber's work, and the catch-all that answers 404/405.</summary>
    private static readonly string[] FunctionRoutes = ["$default", "GET /verify", "POST /batch", "POST /topics", "POST /topics/{topicName}", "POST /verify"];

    /// <summary>The documentation, public as on the REST API (served by the publisher: the HTTP API has no mock integrations).</summary>
    private static readonly string[] DocumentationRoutes = ["GET /openapi.json", "GET /problems", "GET /problems/{slug}"];

    private static readonly string[] CommonOutputs = ["PublisherFunctionName", "PutSecretCommand", "SecretArn", "SubscriberFunctionName"];

    private static Dictionary<string, JsonElement> Routes(SynthesizedStack stack) =>
        stack.Resources("AWS::ApiGatewayV2::Route").ToDictionary(r => r.Properties.GetProperty("RouteKey").GetString()!, r => r.Properties, StringComparer.Ordinal);

    private static string[] OutputNames(SynthesizedStack stack) => [.. stack.Outputs.EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal)];

    private static string[] Sorted(string[] names) => [.. names.Order(StringComparer.Ordinal)];

    private static string Rendered(SynthesizedStack stack, string output) => CfnValue.Render(stack.Outputs.GetProperty(output).GetProperty("Value"));

    private static string Id(SynthesizedStack stack, string type) => Assert.Single(stack.Resources(type)).Id;

    [Fact]
    public void Defaults_RestApiDoor_HasNoOtherDoorsResources()
    {
        var types = fixture.Defaults.ResourceTypes();

        Assert.DoesNotContain(types, t => t.StartsWith("AWS::ApiGatewayV2::", StringComparison.Ordinal));
        Assert.DoesNotContain("AWS::Lambda::Url", types);
        Assert.False(fixture.Defaults.PropertiesOf(fixture.Defaults.Stack.Publisher.Function).TryGetProperty("ReservedConcurrentExecutions", out _));
    }

    [Fact]
    public void HttpApi_Routes_AreThePublishVerifyDefaultAndDocumentationRoutes()
    {
        foreach (var stack in new[] { fixture.HttpApi, fixture.HttpApiJwt })
        {
            Assert.Equal(FunctionRoutes.Concat(DocumentationRoutes).Order(StringComparer.Ordinal), Routes(stack).Keys.Order(StringComparer.Ordinal));
            Assert.Empty(stack.Resources("AWS::ApiGateway::RestApi"));
            Assert.Equal("HTTP", stack.Single("AWS::ApiGatewayV2::Api").GetProperty("ProtocolType").GetString());
        }
    }

    [Fact]
    public void HttpApiIam_EveryFunctionRoute_IsAwsIam()
    {
        var routes = Routes(fixture.HttpApi);

        Assert.All(FunctionRoutes, key => Assert.Equal("AWS_IAM", routes[key].GetProperty("AuthorizationType").GetString()));
        Assert.Empty(fixture.HttpApi.Resources("AWS::ApiGatewayV2::Authorizer"));
    }

    [Fact]
    public void HttpApiJwt_EveryFunctionRoute_UsesTheJwtAuthorizerForTheIssuerAndAudiences()
    {
        var stack = fixture.HttpApiJwt;
        var (authorizerId, authorizer) = Assert.Single(stack.Resources("AWS::ApiGatewayV2::Authorizer"));
        var routes = Routes(stack);

        Assert.Equal("JWT", authorizer.GetProperty("AuthorizerType").GetString());
        Assert.Equal(["$request.header.Authorization"], authorizer.GetProperty("IdentitySource").Strings());
        Assert.Equal(StackFixture.JwtIssuer, authorizer.GetProperty("JwtConfiguration").GetProperty("Issuer").GetString());
        Assert.Equal(StackFixture.JwtAudience, authorizer.GetProperty("JwtConfiguration").GetProperty("Audience").Strings());
        Assert.All(FunctionRoutes, key =>
        {
            Assert.Equal("JWT", routes[key].GetProperty("AuthorizationType").GetString());
            Assert.Equal(authorizerId, routes[key].GetProperty("AuthorizerId").GetProperty("Ref").GetString());
        });
    }

    [Fact]
    public void HttpApi_OnlyTheDocumentationGetRoutes_AreOpen()
    {
        foreach (var stack in new[] { fixture.HttpApi, fixture.HttpApiJwt })
        {
            var open = Routes(stack).Where(r => r.Value.GetProperty("AuthorizationType").GetString() == "NONE").Select(r => r.Key);

            Assert.Equal(DocumentationRoutes, open.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void HttpApi_Routes_ReachTheirFunctionWithPayload2()
    {
        var stack = fixture.HttpApi;
        var integrations = stack.Resources("AWS::ApiGatewayV2::Integration").ToDictionary(i => i.Id, i => i.Properties, StringComparer.Ordinal);
        string FunctionOf(JsonElement route)
        {
            var target = CfnValue.Render(route.GetProperty("Target"));
            var integration = integrations[target["integrations/<".Length..^1]];
            Assert.Equal("AWS_PROXY", integration.GetProperty("IntegrationType").GetString());
            Assert.Equal("2.0", integration.GetProperty("PayloadFormatVersion").GetString());
            return integration.GetProperty("IntegrationUri").GetProperty("Fn::GetAtt")[0].GetString()!;
        }

        Assert.All(Routes(stack), route => Assert.Equal(
            route.Key.EndsWith("/verify", StringComparison.Ordinal) ? PublisherStack.SubscriberFunctionLogicalId : PublisherStack.PublisherFunctionLogicalId,
            FunctionOf(route.Value)));
    }

    [Fact]
    public void HttpApi_Stage_IsTheAutoDeployedDefaultStageThrottledFromTheSettings()
    {
        foreach (var (stack, rate, burst) in new[] { (fixture.HttpApi, 50, 100), (fixture.HttpApiJwt, 7, 9) })
        {
            var stage = stack.Single("AWS::ApiGatewayV2::Stage");
            var settings = stage.GetProperty("DefaultRouteSettings");

            Assert.Equal("$default", stage.GetProperty("StageName").GetString());
            Assert.True(stage.GetProperty("AutoDeploy").GetBoolean());
            Assert.Equal((rate, burst), (settings.GetProperty("ThrottlingRateLimit").Int(), settings.GetProperty("ThrottlingBurstLimit").Int()));
        }
    }

    [Fact]
    public void HttpApi_AccessLog_IsAJsonLineToItsOwnLogGroup()
    {
        foreach (var (stack, days) in new[] { (fixture.HttpApi, 30), (fixture.HttpApiJwt, 90) })
        {
            var logs = stack.Single("AWS::ApiGatewayV2::Stage").GetProperty("AccessLogSettings");
            var group = logs.GetProperty("DestinationArn").GetProperty("Fn::GetAtt")[0].GetString()!;
            var line = logs.GetProperty("Format").GetString()!.Replace("$context.", "context.", StringComparison.Ordinal);
            var fields = JsonDocument.Parse(line).RootElement;

            Assert.Equal(days, stack.Resource(group).GetProperty("Properties").GetProperty("RetentionInDays").Int());
            Assert.Equal("Delete", stack.Resource(group).GetProperty("DeletionPolicy").GetString());
            Assert.Equal("context.requestId", fields.GetProperty("requestId").GetString());
            Assert.Equal("context.status", fields.GetProperty("status").GetString());
            Assert.Equal("context.authorizer.error", fields.GetProperty("authorizerError").GetString());
            // Never a header, a body or a token: only the gateway's own facts about the request.
            Assert.All(fields.EnumerateObject(), f => Assert.StartsWith("context.", f.Value.GetString(), StringComparison.Ordinal));
            Assert.DoesNotContain("header", line, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void HttpApi_Outputs_NameTheApiItsRoutesAndTheVerifyCommand()
    {
        var stack = fixture.HttpApi;
        var api = "<" + Id(stack, "AWS::ApiGatewayV2::Api") + ".ApiEndpoint>";

        Assert.Equal(Sorted(["ApiUrl", "DashboardUrl", "OpenApiUrl", .. CommonOutputs, "ProblemsUrl", "PublishUrl", "VerifyCommand", "VerifyUrl"]), OutputNames(stack));
        Assert.Equal(api + "/", Rendered(stack, "ApiUrl"));
        Assert.Equal(api + "/topics", Rendered(stack, "PublishUrl"));
        Assert.Equal(api + "/verify", Rendered(stack, "VerifyUrl"));
        Assert.Equal(api + "/openapi.json", Rendered(stack, "OpenApiUrl"));
        Assert.Equal(api + "/problems", Rendered(stack, "ProblemsUrl"));
        Assert.Equal($"dotnet run --project src/Publisher.DeploymentCheck -- verify --url {api}/ --iam", Rendered(stack, "VerifyCommand"));
        Assert.EndsWith("--bearer \"$TOKEN\"", Rendered(fixture.HttpApiJwt, "VerifyCommand"), StringComparison.Ordinal);
        Assert.DoesNotContain("DashboardUrl", OutputNames(fixture.HttpApiJwt));
    }

    [Fact]
    public void HttpApi_Functions_PointProblemTypesAtThePagesThePublisherServes()
    {
        var api = "<" + Id(fixture.HttpApi, "AWS::ApiGatewayV2::Api") + ".ApiEndpoint>";
        foreach (var (stack, expected) in new[] { (fixture.HttpApi, api + "/problems/"), (fixture.HttpApiJwt, StackFixture.ProblemTypeBaseUri) })
        {
            foreach (var function in new[] { stack.Stack.Publisher.Function, stack.Stack.Subscriber.Function })
            {
                var variables = stack.PropertiesOf(function).GetProperty("Environment").GetProperty("Variables");
                Assert.Equal(expected, CfnValue.Render(variables.GetProperty(EnvironmentVariables.ProblemTypeBaseUri)));
            }
        }
    }

    [Fact]
    public void HttpApi_Permissions_AreForApiGatewayOnThisApi()
    {
        var stack = fixture.HttpApi;
        var api = Id(stack, "AWS::ApiGatewayV2::Api");
        var permissions = stack.Resources("AWS::Lambda::Permission");

        Assert.Equal(Routes(stack).Count, permissions.Count);
        Assert.All(permissions, p =>
        {
            Assert.Equal("apigateway.amazonaws.com", p.Properties.GetProperty("Principal").GetString());
            Assert.Contains($":<{api}>/*/*", CfnValue.Render(p.Properties.GetProperty("SourceArn")), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void HttpApi_AlarmAndDashboard_ReadTheStagesApiGatewayMetrics()
    {
        var stack = fixture.HttpApi;
        var dimensions = new Dictionary<string, string> { ["ApiId"] = "<" + Id(stack, "AWS::ApiGatewayV2::Api") + ">", ["Stage"] = "$default" };
        var alarm = stack.Resources("AWS::CloudWatch::Alarm").Single(a => a.Properties.GetProperty("Namespace").GetString() == "AWS/ApiGateway").Properties;
        var plotted = DashboardBody.Resolve(stack.Single("AWS::CloudWatch::Dashboard").GetProperty("DashboardBody")).Metrics()
            .Where(m => m.Namespace == "AWS/ApiGateway").ToArray();

        Assert.Equal("5xx", alarm.GetProperty("MetricName").GetString());
        Assert.Equal(dimensions, alarm.GetProperty("Dimensions").EnumerateArray().ToDictionary(d => d.GetProperty("Name").GetString()!, d => CfnValue.Render(d.GetProperty("Value"))));
        Assert.All(plotted, m => Assert.Equal(dimensions, m.Dimensions));
        Assert.Equal(
            ["4xx:Sum", "5xx:Sum", "Count:Sum", "IntegrationLatency:p99", "Latency:p50", "Latency:p99"],
            plotted.Select(m => $"{m.Name}:{m.Statistic}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FunctionUrl_BothFunctions_HaveAnAwsIamUrlAndNothingIsPublic()
    {
        foreach (var stack in new[] { fixture.FunctionUrl, fixture.FunctionUrlCustomized })
        {
            var urls = stack.Resources("AWS::Lambda::Url");

            Assert.Equal(
                [PublisherStack.PublisherFunctionLogicalId, PublisherStack.SubscriberFunctionLogicalId],
                urls.Select(u => u.Properties.GetProperty("TargetFunctionArn").GetProperty("Fn::GetAtt")[0].GetString()).Order(StringComparer.Ordinal));
            Assert.All(urls, u => Assert.Equal("AWS_IAM", u.Properties.GetProperty("AuthType").GetString()));
            // AuthType NONE would add a permission for everyone ("*"); AWS_IAM needs none: callers' own policies grant it.
            Assert.Empty(stack.Resources("AWS::Lambda::Permission"));
            Assert.DoesNotContain("\"NONE\"", stack.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(stack.ResourceTypes(), t => t.StartsWith("AWS::ApiGateway", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FunctionUrl_PublisherConcurrency_IsReservedAsItsThrottle()
    {
        Assert.Equal(10, fixture.FunctionUrl.PropertiesOf(fixture.FunctionUrl.Stack.Publisher.Function).GetProperty("ReservedConcurrentExecutions").Int());
        Assert.Equal(25, fixture.FunctionUrlCustomized.PropertiesOf(fixture.FunctionUrlCustomized.Stack.Publisher.Function).GetProperty("ReservedConcurrentExecutions").Int());
    }

    [Fact]
    public void HttpApi_ReservedConcurrency_IsSetOnlyWhenAsked()
    {
        Assert.False(fixture.HttpApi.PropertiesOf(fixture.HttpApi.Stack.Publisher.Function).TryGetProperty("ReservedConcurrentExecutions", out _));
        Assert.Equal(5, fixture.HttpApiJwt.PropertiesOf(fixture.HttpApiJwt.Stack.Publisher.Function).GetProperty("ReservedConcurrentExecutions").Int());
        // The subscriber's own reservation (issue 23) is not the publisher's setting.
        Assert.Equal(
            PublisherStackSettings.DefaultSubscriberReservedConcurrency,
            fixture.HttpApiJwt.PropertiesOf(fixture.HttpApiJwt.Stack.Subscriber.Function).GetProperty("ReservedConcurrentExecutions").Int());
    }

    [Fact]
    public void FunctionUrl_Outputs_NameBothUrlsTheirRoutesAndTheVerifyCommand()
    {
        var stack = fixture.FunctionUrl;
        var urls = stack.Resources("AWS::Lambda::Url").ToDictionary(u => u.Properties.GetProperty("TargetFunctionArn").GetProperty("Fn::GetAtt")[0].GetString()!, u => u.Id);
        var publisher = "<" + urls[PublisherStack.PublisherFunctionLogicalId] + ".FunctionUrl>";
        var subscriber = "<" + urls[PublisherStack.SubscriberFunctionLogicalId] + ".FunctionUrl>";

        Assert.Equal(Sorted(["ApiUrl", "DashboardUrl", "OpenApiUrl", .. CommonOutputs, "ProblemsUrl", "PublishUrl", "SubscriberUrl", "VerifyCommand", "VerifyUrl"]), OutputNames(stack));
        Assert.Equal(publisher, Rendered(stack, "ApiUrl"));
        Assert.Equal(publisher + "topics", Rendered(stack, "PublishUrl"));
        Assert.Equal(publisher + "openapi.json", Rendered(stack, "OpenApiUrl"));
        Assert.Equal(publisher + "problems", Rendered(stack, "ProblemsUrl"));
        Assert.Equal(subscriber, Rendered(stack, "SubscriberUrl"));
        Assert.Equal(subscriber + "verify", Rendered(stack, "VerifyUrl"));
        Assert.Equal($"dotnet run --project src/Publisher.DeploymentCheck -- verify --url {publisher} --verify-url {subscriber} --iam", Rendered(stack, "VerifyCommand"));
    }

    [Fact]
    public void FunctionUrl_ProblemTypes_ResolveAtThePublishersUrl()
    {
        var stack = fixture.FunctionUrl;
        var publisherUrl = stack.Resources("AWS::Lambda::Url")
            .Single(u => u.Properties.GetProperty("TargetFunctionArn").GetProperty("Fn::GetAtt")[0].GetString() == PublisherStack.PublisherFunctionLogicalId).Id;
        static string TypeBase(SynthesizedStack s, Amazon.CDK.AWS.Lambda.Function function) =>
            CfnValue.Render(s.PropertiesOf(function).GetProperty("Environment").GetProperty("Variables").GetProperty(EnvironmentVariables.ProblemTypeBaseUri));

        // The publisher cannot be given its own URL (it exists after the function): a path, resolved against the URL called.
        Assert.Equal("/problems/", TypeBase(stack, stack.Stack.Publisher.Function));
        Assert.Equal($"<{publisherUrl}.FunctionUrl>problems/", TypeBase(stack, stack.Stack.Subscriber.Function));
        Assert.Equal(StackFixture.ProblemTypeBaseUri, TypeBase(fixture.FunctionUrlCustomized, fixture.FunctionUrlCustomized.Stack.Publisher.Function));
        Assert.Equal(StackFixture.ProblemTypeBaseUri, TypeBase(fixture.FunctionUrlCustomized, fixture.FunctionUrlCustomized.Stack.Subscriber.Function));
    }

    [Fact]
    public void FunctionUrl_AlarmAndDashboard_ReadTheLambdaUrlMetrics()
    {
        var stack = fixture.FunctionUrl;
        var alarm = stack.Resources("AWS::CloudWatch::Alarm").Single(a => a.Id.Contains("Api5xx", StringComparison.Ordinal)).Properties;
        var queries = alarm.GetProperty("Metrics").EnumerateArray().ToArray();
        var body = DashboardBody.Resolve(stack.Single("AWS::CloudWatch::Dashboard").GetProperty("DashboardBody"));
        var urlMetrics = body.Metrics().Where(m => m.Name.StartsWith("Url", StringComparison.Ordinal)).ToArray();

        Assert.Equal("FILL(url5xxCountPublisher, 0) + FILL(url5xxCountSubscriber, 0)", queries.Single(q => q.TryGetProperty("Expression", out _)).GetProperty("Expression").GetString());
        Assert.Equal(
            ["Url5xxCount@<PublisherFunction>", "Url5xxCount@<SubscriberFunction>"],
            queries.Where(q => q.TryGetProperty("MetricStat", out _))
                .Select(q => q.GetProperty("MetricStat").GetProperty("Metric"))
                .Select(m => m.GetProperty("MetricName").GetString() + "@" + CfnValue.Render(Assert.Single(m.GetProperty("Dimensions").EnumerateArray()).GetProperty("Value")))
                .Order(StringComparer.Ordinal));
        Assert.DoesNotContain(body.Metrics(), m => m.Namespace == "AWS/ApiGateway");
        Assert.All(urlMetrics, m => Assert.Equal("AWS/Lambda", m.Namespace));
        Assert.Equal(
            [
                "Url4xxCount@<PublisherFunction>", "Url4xxCount@<SubscriberFunction>", "Url5xxCount@<PublisherFunction>", "Url5xxCount@<SubscriberFunction>",
                "UrlRequestCount@<PublisherFunction>", "UrlRequestCount@<SubscriberFunction>",
                "UrlRequestLatency@<PublisherFunction>", "UrlRequestLatency@<PublisherFunction>",
            ],
            urlMetrics.Select(m => m.Name + "@" + m.Dimensions["FunctionName"]).Order(StringComparer.Ordinal));
        Assert.Equal(3, body.Expressions().Count(e => e.StartsWith("FILL(", StringComparison.Ordinal)));
    }
}
