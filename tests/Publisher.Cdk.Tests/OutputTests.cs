namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class OutputTests(StackFixture fixture)
{
    [Fact]
    public void Defaults_Outputs_AreTheDocumentedSet()
    {
        Assert.Equal(
            ["ApiKeyId", "ApiUrl", "DashboardUrl", "GetApiKeyCommand", "OpenApiUrl", "ProblemsUrl", "PublishUrl", "PublisherFunctionName", "PutSecretCommand", "SecretArn", "SubscriberFunctionName", "VerifyUrl"],
            fixture.Defaults.Outputs.EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Customized_IamModeWithoutDashboard_HasNoApiKeyOrDashboardOutputs()
    {
        Assert.Equal(
            ["ApiUrl", "OpenApiUrl", "ProblemsUrl", "PublishUrl", "PublisherFunctionName", "PutSecretCommand", "SecretArn", "SubscriberFunctionName", "VerifyUrl"],
            fixture.Customized.Outputs.EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_Urls_PointAtTheProdStageRoutes()
    {
        var outputs = fixture.Defaults.Outputs;

        Assert.EndsWith("\"/\"]]}", outputs.GetProperty("ApiUrl").GetProperty("Value").GetRawText(), StringComparison.Ordinal);
        Assert.EndsWith("\"/topics\"]]}", outputs.GetProperty("PublishUrl").GetProperty("Value").GetRawText(), StringComparison.Ordinal);
        Assert.EndsWith("\"/verify\"]]}", outputs.GetProperty("VerifyUrl").GetProperty("Value").GetRawText(), StringComparison.Ordinal);
        Assert.EndsWith("\"/openapi.json\"]]}", outputs.GetProperty("OpenApiUrl").GetProperty("Value").GetRawText(), StringComparison.Ordinal);
        Assert.EndsWith("\"/problems\"]]}", outputs.GetProperty("ProblemsUrl").GetProperty("Value").GetRawText(), StringComparison.Ordinal);
        Assert.Contains(".execute-api.", outputs.GetProperty("ApiUrl").GetProperty("Value").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_Commands_ReferenceTheKeyAndSecretWithoutValues()
    {
        var stack = fixture.Defaults;
        var keyId = Assert.Single(stack.Resources("AWS::ApiGateway::ApiKey")).Id;
        var secretId = Assert.Single(stack.Resources("AWS::SecretsManager::Secret")).Id;

        var getKey = stack.Outputs.GetProperty("GetApiKeyCommand").GetProperty("Value").GetProperty("Fn::Join")[1];
        Assert.Equal("aws apigateway get-api-key --api-key ", getKey[0].GetString());
        Assert.Equal(keyId, getKey[1].GetProperty("Ref").GetString());
        Assert.Equal(" --include-value --query value --output text", getKey[2].GetString());

        var putSecret = stack.Outputs.GetProperty("PutSecretCommand").GetProperty("Value").GetProperty("Fn::Join")[1];
        Assert.Equal("aws secretsmanager put-secret-value --secret-id ", putSecret[0].GetString());
        Assert.Equal(secretId, putSecret[1].GetProperty("Ref").GetString());
        Assert.Equal(" --secret-string '<momento-api-key>'", putSecret[2].GetString());
        Assert.Equal(secretId, stack.Outputs.GetProperty("SecretArn").GetProperty("Value").GetProperty("Ref").GetString());
    }

    [Fact]
    public void Defaults_FunctionNameOutputs_ReferenceTheFunctions()
    {
        var stack = fixture.Defaults;
        var publisher = stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.Publisher.Function.Node.DefaultChild!);
        var subscriber = stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.Subscriber.Function.Node.DefaultChild!);

        Assert.Equal(publisher, stack.Outputs.GetProperty("PublisherFunctionName").GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal(subscriber, stack.Outputs.GetProperty("SubscriberFunctionName").GetProperty("Value").GetProperty("Ref").GetString());
    }
}
