using System.Text.Json;
using Publisher.Cdk.Constructs;

namespace Publisher.Cdk.Tests;

/// <summary><c>-c managedInstances=true</c>: a capacity provider, both functions attached to it on the managed .NET runtime.</summary>
[Collection(StackCollection.Name)]
public sealed class ManagedInstancesTests(StackFixture fixture)
{
    private static readonly string[] FunctionIds = [PublisherStack.PublisherFunctionLogicalId, PublisherStack.SubscriberFunctionLogicalId];

    private static JsonElement Function(SynthesizedStack stack, string logicalId) => stack.Resource(logicalId).GetProperty("Properties");

    private static (string Id, JsonElement Properties) CapacityProvider(SynthesizedStack stack) =>
        Assert.Single(stack.Resources(ManagedInstancesCapacity.ResourceType));

    [Fact]
    public void ManagedInstances_BothFunctions_AttachToTheOneCapacityProviderWithLambdasDefaultConcurrency()
    {
        var stack = fixture.ManagedInstances;
        var (providerId, _) = CapacityProvider(stack);

        foreach (var id in FunctionIds)
        {
            var config = Function(stack, id).GetProperty("CapacityProviderConfig").GetProperty("LambdaManagedInstancesCapacityProviderConfig");
            Assert.Equal($$"""{"Fn::GetAtt":["{{providerId}}","Arn"]}""", config.GetProperty("CapacityProviderArn").GetRawText());
            Assert.False(config.TryGetProperty("PerExecutionEnvironmentMaxConcurrency", out _));
        }
    }

    [Fact]
    public void ManagedInstances_ConcurrencyFromContext_IsEachFunctionsPerEnvironmentMaximum()
    {
        var stack = fixture.ManagedInstancesExistingVpc;

        Assert.All(FunctionIds, id => Assert.Equal(64, Function(stack, id).GetProperty("CapacityProviderConfig")
            .GetProperty("LambdaManagedInstancesCapacityProviderConfig").GetProperty("PerExecutionEnvironmentMaxConcurrency").Int()));
    }

    [Theory]
    [InlineData(PublisherStack.PublisherFunctionLogicalId, "Publisher.Function")]
    [InlineData(PublisherStack.SubscriberFunctionLogicalId, "Subscriber.Function")]
    public void ManagedInstances_Function_RunsOnTheManagedDotnet10RuntimeAsAnExecutableAssemblyOf2Gb(string id, string assembly)
    {
        var function = Function(fixture.ManagedInstances, id);

        Assert.Equal("dotnet10", function.GetProperty("Runtime").GetString());
        Assert.Equal(assembly, function.GetProperty("Handler").GetString());
        Assert.Equal(2048, function.GetProperty("MemorySize").Int());
        Assert.Equal(["x86_64"], function.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        Assert.False(function.TryGetProperty("VpcConfig", out _)); // the capacity provider's VPC is where it runs
    }

    [Fact]
    public void ManagedInstances_NewVpc_CapacityProviderRunsInItsPrivateSubnetsWithTheOperatorRole()
    {
        var stack = fixture.ManagedInstances;
        var (_, provider) = CapacityProvider(stack);

        var subnets = provider.GetProperty("VpcConfig").GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetProperty("Ref").GetString()!).ToList();
        Assert.Equal(2, subnets.Count);
        Assert.All(subnets, subnet =>
        {
            var routes = stack.Resources("AWS::EC2::Route").Select(r => r.Properties)
                .Where(r => stack.Resources("AWS::EC2::SubnetRouteTableAssociation").Any(a =>
                    a.Properties.GetProperty("SubnetId").GetProperty("Ref").GetString() == subnet
                    && a.Properties.GetProperty("RouteTableId").GetRawText() == r.GetProperty("RouteTableId").GetRawText()));
            Assert.Contains(routes, r => r.TryGetProperty("NatGatewayId", out _)); // private, out to Momento through the NAT gateway
        });
        var securityGroup = Assert.Single(provider.GetProperty("VpcConfig").GetProperty("SecurityGroupIds").EnumerateArray());
        Assert.Equal("AWS::EC2::SecurityGroup", stack.Resource(securityGroup.GetProperty("Fn::GetAtt")[0].GetString()!).GetProperty("Type").GetString());
        Assert.Single(stack.Resources("AWS::EC2::NatGateway"));
        Assert.Equal(["x86_64"], provider.GetProperty("InstanceRequirements").GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));

        var roleId = provider.GetProperty("PermissionsConfig").GetProperty("CapacityProviderOperatorRoleArn").GetProperty("Fn::GetAtt")[0].GetString()!;
        var role = stack.Resource(roleId).GetProperty("Properties");
        Assert.Equal("lambda.amazonaws.com", role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Contains(ManagedInstancesCapacity.OperatorPolicy, Assert.Single(role.GetProperty("ManagedPolicyArns").EnumerateArray()).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ManagedInstances_ExistingSubnets_NoVpcIsCreatedAndTheProviderUsesThem()
    {
        var stack = fixture.ManagedInstancesExistingVpc;
        var (_, provider) = CapacityProvider(stack);

        Assert.Empty(stack.Resources("AWS::EC2::VPC"));
        Assert.Equal(StackFixture.ExistingSubnets.Split(','), provider.GetProperty("VpcConfig").GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([StackFixture.ExistingSecurityGroup], provider.GetProperty("VpcConfig").GetProperty("SecurityGroupIds").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["arm64"], provider.GetProperty("InstanceRequirements").GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(4096, Function(stack, PublisherStack.PublisherFunctionLogicalId).GetProperty("MemorySize").Int());
        Assert.Equal(2048, Function(stack, PublisherStack.SubscriberFunctionLogicalId).GetProperty("MemorySize").Int());
    }

    [Fact]
    public void Defaults_NoCapacityProviderVpcOrAttachment()
    {
        foreach (var stack in fixture.All)
        {
            Assert.Empty(stack.Resources(ManagedInstancesCapacity.ResourceType));
            Assert.Empty(stack.Resources("AWS::EC2::VPC"));
            Assert.All(FunctionIds, id =>
            {
                Assert.False(Function(stack, id).TryGetProperty("CapacityProviderConfig", out _));
                Assert.Equal("provided.al2023", Function(stack, id).GetProperty("Runtime").GetString());
            });
        }
    }
}
