using Publisher.Contracts;
using Publisher.Contracts.ApiDocs;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class ResourceTests(StackFixture fixture)
{
    [Fact]
    public void Defaults_ResourceKindsAndCounts_AreExactlyTheDesignedOnes()
    {
        var counts = fixture.Defaults.ResourceTypes()
            .Where(type => type != "AWS::CDK::Metadata")
            .GroupBy(type => type)
            .ToDictionary(g => g.Key, g => g.Count());

        var expected = new Dictionary<string, int>
        {
            ["AWS::SecretsManager::Secret"] = 1,
            ["AWS::Lambda::Function"] = 2,
            ["AWS::Logs::LogGroup"] = 2,
            ["AWS::IAM::Role"] = 2,
            ["AWS::IAM::Policy"] = 2,
            ["AWS::ApiGateway::RestApi"] = 1,
            ["AWS::ApiGateway::Deployment"] = 1,
            ["AWS::ApiGateway::Stage"] = 1,
            // /topics, /topics/{topicName}, /batch, /verify; /openapi.json, /problems and a page per problem type.
            ["AWS::ApiGateway::Resource"] = 4 + 2 + ProblemCatalog.All.Count,
            ["AWS::ApiGateway::Method"] = 5 + 2 + ProblemCatalog.All.Count,
            ["AWS::Lambda::Permission"] = 5,
            ["AWS::ApiGateway::RequestValidator"] = 1,
            ["AWS::ApiGateway::Model"] = 2,
            ["AWS::ApiGateway::GatewayResponse"] = 16,
            ["AWS::ApiGateway::ApiKey"] = 1,
            ["AWS::ApiGateway::UsagePlan"] = 1,
            ["AWS::ApiGateway::UsagePlanKey"] = 1,
            ["AWS::CloudWatch::Alarm"] = 5,
            ["AWS::CloudWatch::Dashboard"] = 1,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
    }

    [Fact]
    public void Defaults_Template_HasNoCustomResourcesOrAccountWideRole()
    {
        var types = fixture.Defaults.ResourceTypes();

        Assert.DoesNotContain(types, t => t.StartsWith("Custom::", StringComparison.Ordinal));
        Assert.DoesNotContain("AWS::ApiGateway::Account", types);
        Assert.DoesNotContain("AWS::CloudFormation::CustomResource", types);
    }

    [Theory]
    [InlineData("AWS::Lambda::Function", "FunctionName")]
    [InlineData("AWS::Logs::LogGroup", "LogGroupName")]
    [InlineData("AWS::SecretsManager::Secret", "Name")]
    [InlineData("AWS::IAM::Role", "RoleName")]
    [InlineData("AWS::ApiGateway::ApiKey", "Name")]
    [InlineData("AWS::ApiGateway::UsagePlan", "UsagePlanName")]
    [InlineData("AWS::CloudWatch::Alarm", "AlarmName")]
    [InlineData("AWS::CloudWatch::Dashboard", "DashboardName")]
    [InlineData("AWS::ApiGateway::Model", "Name")]
    [InlineData("AWS::ApiGateway::RequestValidator", "Name")]
    public void Defaults_Resources_HaveNoPhysicalNames(string type, string nameProperty)
    {
        var resources = fixture.Defaults.Resources(type);

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.False(r.Properties.TryGetProperty(nameProperty, out _), $"{r.Id} sets {nameProperty}"));
    }

    [Fact]
    public void Customized_Stack_KeepsTheSameShapeWithoutKeyResources()
    {
        var types = fixture.Customized.ResourceTypes();

        Assert.Equal(2, types.Count(t => t == "AWS::Lambda::Function"));
        Assert.Equal(5 + 2 + ProblemCatalog.All.Count, types.Count(t => t == "AWS::ApiGateway::Method"));
        Assert.Equal(5, types.Count(t => t == "AWS::CloudWatch::Alarm"));
        Assert.DoesNotContain("AWS::SecretsManager::Secret", types);
    }

    [Fact]
    public void Constructor_InvalidSettings_ThrowsBeforeAddingResources()
    {
        var app = new Amazon.CDK.App();
        var settings = new PublisherStackSettings { SkipBundling = true, SecretName = "a", SecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf" };

        var error = Assert.Throws<ArgumentException>(() => new PublisherStack(app, "Invalid", settings));

        Assert.Contains("'secretName' and 'secretArn'", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The REST API declares the binary media types the local API applies: one list, Publisher.Contracts.</summary>
[Collection(StackCollection.Name)]
public sealed class BinaryMediaTypeTests(StackFixture fixture)
{
    [Fact]
    public void EveryStack_RestApiBinaryMediaTypes_AreTheSharedList()
    {
        foreach (var stack in fixture.All)
        {
            var declared = stack.Single("AWS::ApiGateway::RestApi").GetProperty("BinaryMediaTypes").EnumerateArray().Select(t => t.GetString()!).ToList();

            Assert.Equal(BinaryMediaTypes.All, declared);
        }
    }

    [Theory]
    [InlineData("application/octet-stream", true)]
    [InlineData("image/png; charset=binary", true)]
    [InlineData("IMAGE/JPEG", true)]
    [InlineData("application/json", false)]
    [InlineData("text/plain", false)]
    [InlineData("imagex/png", false)]
    [InlineData("image", false)]
    [InlineData(null, false)]
    public void Matches_ContentType_AsApiGatewayMatchesTheList(string? contentType, bool binary) =>
        Assert.Equal(binary, BinaryMediaTypes.Matches(contentType));
}
