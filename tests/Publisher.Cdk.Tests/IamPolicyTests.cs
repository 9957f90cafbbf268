using System.Text.Json;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class IamPolicyTests(StackFixture fixture)
{
    private static void AssertExactlySecretAndTracing(SynthesizedStack stack, Action<JsonElement> assertSecretResource)
    {
        var policies = stack.Resources("AWS::IAM::Policy");
        Assert.Equal(2, policies.Count);
        foreach (var (id, policy) in policies)
        {
            var statements = policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray()
                .Where(s => !s.GetProperty("Action").Strings().Any(a => a.StartsWith("kms:", StringComparison.Ordinal)))
                .ToArray();
            Assert.True(statements.Length == 3, $"{id} has {statements.Length} statements");
            Assert.All(statements, s => Assert.Equal("Allow", s.GetProperty("Effect").GetString()));

            var xray = Assert.Single(statements, s => s.GetProperty("Action").Strings().Any(a => a.StartsWith("xray:", StringComparison.Ordinal)));
            Assert.Equal(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], xray.GetProperty("Action").Strings().Order(StringComparer.Ordinal));
            Assert.Equal("*", xray.GetProperty("Resource").GetString());

            var secret = Assert.Single(statements, s => s.GetProperty("Action").Strings().Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal)));
            Assert.Equal(
                ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
                secret.GetProperty("Action").Strings().Order(StringComparer.Ordinal));
            assertSecretResource(secret.GetProperty("Resource"));

            // Logs: its own group only, never logs:* on every group (AWSLambdaBasicExecutionRole's grant).
            var logs = Assert.Single(statements, s => s.GetProperty("Action").Strings().Any(a => a.StartsWith("logs:", StringComparison.Ordinal)));
            Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], logs.GetProperty("Action").Strings().Order(StringComparer.Ordinal));
            var group = logs.GetProperty("Resource").GetProperty("Fn::GetAtt");
            Assert.Equal("Arn", group[1].GetString());
            Assert.Equal("AWS::Logs::LogGroup", stack.Resource(group[0].GetString()!).GetProperty("Type").GetString());
        }

        // Each function's statement names its own group: two policies, two different groups.
        Assert.Equal(2, policies.Select(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray()
            .Single(s => s.GetProperty("Action").Strings().Any(a => a.StartsWith("logs:", StringComparison.Ordinal)))
            .GetProperty("Resource").GetRawText()).Distinct().Count());
    }

    [Fact]
    public void Defaults_EachFunctionPolicy_GrantsOnlyTheCreatedSecretAndTracing()
    {
        var stack = fixture.Defaults;
        var secretId = stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.ApiKeySecret.Secret.Node.DefaultChild!);

        AssertExactlySecretAndTracing(stack, resource =>
            Assert.Equal(secretId, resource.GetProperty("Ref").GetString()));
    }

    [Fact]
    public void ByArn_EachFunctionPolicy_GrantsOnlyTheImportedArn()
    {
        AssertExactlySecretAndTracing(fixture.ByArn, resource =>
            Assert.Equal(StackFixture.ImportedSecretArn, resource.GetString()));
    }

    [Fact]
    public void Customized_EachFunctionPolicy_GrantsTheNamedSecretWithItsSuffixWildcard()
    {
        AssertExactlySecretAndTracing(fixture.Customized, resource =>
        {
            var text = resource.GetRawText();
            Assert.Contains($":secret:{StackFixture.ImportedSecretName}-??????", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"*\"", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Defaults_EachPolicy_IsAttachedToExactlyOneFunctionRole()
    {
        var stack = fixture.Defaults;
        var roleIds = stack.Resources("AWS::IAM::Role").Select(r => r.Id).ToHashSet();

        var attached = stack.Resources("AWS::IAM::Policy")
            .Select(p => Assert.Single(p.Properties.GetProperty("Roles").EnumerateArray()).GetProperty("Ref").GetString()!)
            .ToArray();

        Assert.Equal(roleIds.Order(StringComparer.Ordinal), attached.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_Roles_HaveNoManagedPolicies()
    {
        foreach (var (id, role) in fixture.Defaults.Resources("AWS::IAM::Role"))
        {
            Assert.False(role.TryGetProperty("Policies", out _), $"{id} has inline policies");
            var principal = Assert.Single(role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());
            Assert.Equal("lambda.amazonaws.com", principal.GetProperty("Principal").GetProperty("Service").GetString());
            // AWSLambdaBasicExecutionRole would let the function write to every log group in the account.
            Assert.False(role.TryGetProperty("ManagedPolicyArns", out _), $"{id} has managed policies");
        }
    }

    [Theory]
    [InlineData(null, StackFixture.SecretKmsKeyArn, "applies to an imported secret")]
    [InlineData(StackFixture.ImportedSecretName, "alias/momento", "must be a KMS key ARN")]
    public void Settings_KmsKeyWithoutAnImportedSecretOrNotAKeyArn_IsRefusedNamingTheKey(string? secretName, string keyArn, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new PublisherStackSettings { SecretName = secretName, SecretKmsKeyArn = keyArn }.Validate());

        Assert.Contains(ContextKeys.SecretKmsKeyArn, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Customized_ImportedSecretWithCustomerManagedKey_GrantsDecryptOnThatKeyThroughSecretsManagerOnly()
    {
        foreach (var (id, policy) in fixture.Customized.Resources("AWS::IAM::Policy"))
        {
            var kms = Assert.Single(
                policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray(),
                s => s.GetProperty("Action").Strings().Any(a => a.StartsWith("kms:", StringComparison.Ordinal)));
            Assert.Equal(["kms:Decrypt"], kms.GetProperty("Action").Strings());
            Assert.Equal(StackFixture.SecretKmsKeyArn, kms.GetProperty("Resource").GetString());
            var via = kms.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService");
            Assert.Contains("secretsmanager.", CfnValue.Render(via), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("kms:", fixture.Defaults.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AllStacks_Policies_AllowOnlySecretReadOwnLogsAndTracing()
    {
        // Every door: the HTTP API's access log and the function URLs add no IAM policy.
        foreach (var stack in fixture.Everything)
        {
            var actions = stack.Resources("AWS::IAM::Policy")
                .SelectMany(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
                .SelectMany(s => s.GetProperty("Action").Strings())
                .Distinct()
                .Order(StringComparer.Ordinal);

            Assert.Equal(
                ["logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
                actions.Where(a => a != "kms:Decrypt"));
        }
    }
}
