namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class KeyMaterialTests(StackFixture fixture)
{
    // Every door: none may carry key material.
    private IEnumerable<SynthesizedStack> All => fixture.Everything;

    [Theory]
    [InlineData("SecretString")]
    [InlineData("GenerateSecretString")]
    [InlineData("SecretStringTemplate")]
    [InlineData("GenerateDistinctId")]
    [InlineData("MOMENTO_API_KEY\"")]
    [InlineData("{{resolve:")]
    public void AllStacks_Template_NeverContains(string forbidden)
    {
        Assert.All(All, stack => Assert.DoesNotContain(forbidden, stack.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void AllStacks_ApiKeys_HaveNoValueProperty()
    {
        Assert.All(All.SelectMany(s => s.Resources("AWS::ApiGateway::ApiKey")), key =>
        {
            Assert.False(key.Properties.TryGetProperty("Value", out _));
            Assert.False(key.Properties.TryGetProperty("GenerateDistinctId", out _));
        });
    }

    [Fact]
    public void AllStacks_FunctionEnvironment_HoldsNoKeyOnlyASecretReference()
    {
        foreach (var stack in All)
        {
            foreach (var (id, function) in stack.Resources("AWS::Lambda::Function"))
            {
                var names = function.GetProperty("Environment").GetProperty("Variables").EnumerateObject().Select(v => v.Name).ToArray();
                var keyish = names.Where(n => n.Contains("KEY", StringComparison.Ordinal) || n.Contains("TOKEN", StringComparison.Ordinal)
                    || n.Contains("PASSWORD", StringComparison.Ordinal));
                Assert.True(keyish.SequenceEqual(["MOMENTO_API_KEY_SECRET_ID"]), $"{id}: {string.Join(", ", keyish)}");
            }
        }
    }

    [Fact]
    public void AllStacks_LocalEndpoint_IsDeclaredEmptySoOnlySamLocalCanSetIt()
    {
        foreach (var stack in All)
        {
            foreach (var (id, function) in stack.Resources("AWS::Lambda::Function"))
            {
                var variables = function.GetProperty("Environment").GetProperty("Variables");
                Assert.True(variables.TryGetProperty("MOMENTO_LOCAL_ENDPOINT", out var local), id);
                Assert.Equal(string.Empty, local.GetString());
            }
        }
    }

    [Fact]
    public void AllStacks_Outputs_CarryNoSecretValues()
    {
        foreach (var stack in All)
        {
            var outputs = stack.Outputs.GetRawText();
            Assert.DoesNotContain("SecretString", outputs, StringComparison.Ordinal);
            Assert.DoesNotContain("resolve:secretsmanager", outputs, StringComparison.Ordinal);
        }
    }
}
