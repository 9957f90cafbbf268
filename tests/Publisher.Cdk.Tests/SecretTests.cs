namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class SecretTests(StackFixture fixture)
{
    [Fact]
    public void Defaults_NewSecret_IsCreatedEmptyWithInstructions()
    {
        var secret = fixture.Defaults.Single("AWS::SecretsManager::Secret");

        Assert.Equal(["Description"], secret.EnumerateObject().Select(p => p.Name));
        Assert.Contains("aws secretsmanager put-secret-value", secret.GetProperty("Description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ByArn_ImportedSecret_IsNotCreatedAndIsWhatTheFunctionsRead()
    {
        var stack = fixture.ByArn;

        stack.Template.ResourceCountIs("AWS::SecretsManager::Secret", 0);
        Assert.All(stack.Resources("AWS::Lambda::Function"), f => Assert.Equal(
            StackFixture.ImportedSecretArn,
            f.Properties.GetProperty("Environment").GetProperty("Variables").GetProperty("MOMENTO_API_KEY_SECRET_ID").GetString()));
        Assert.Equal(StackFixture.ImportedSecretArn, stack.Outputs.GetProperty("SecretArn").GetProperty("Value").GetString());
    }

    [Fact]
    public void Customized_SecretImportedByName_IsNotCreatedAndIsReadByName()
    {
        var stack = fixture.Customized;

        stack.Template.ResourceCountIs("AWS::SecretsManager::Secret", 0);
        Assert.All(stack.Resources("AWS::Lambda::Function"), f => Assert.Equal(
            StackFixture.ImportedSecretName,
            f.Properties.GetProperty("Environment").GetProperty("Variables").GetProperty("MOMENTO_API_KEY_SECRET_ID").GetString()));
        var put = stack.Outputs.GetProperty("PutSecretCommand").GetProperty("Value").GetString();
        Assert.Equal($"aws secretsmanager put-secret-value --secret-id {StackFixture.ImportedSecretName} --secret-string '<momento-api-key>'", put);
    }
}
