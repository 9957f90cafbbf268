using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Publisher.Cdk.Constructs;

/// <summary>
/// A Lambda Managed Instances capacity provider (EC2 capacity Lambda manages in a VPC, where each execution environment
/// takes many invocations at once) and the attachment of functions to it. CDK 2.160 predates the constructs, so both
/// are raw CloudFormation: an <c>AWS::Lambda::CapacityProvider</c> resource and a <c>CapacityProviderConfig</c> override.
/// </summary>
public sealed class ManagedInstancesCapacity : Construct
{
    /// <summary>The CloudFormation type of the capacity provider.</summary>
    public const string ResourceType = "AWS::Lambda::CapacityProvider";

    /// <summary>The managed policy with the least privileges Lambda needs to run the instances.</summary>
    public const string OperatorPolicy = "AWSLambdaManagedEC2ResourceOperator";

    private readonly int? _maxConcurrency;

    /// <summary>Creates the capacity provider, its operator role and, unless subnets are given, a VPC for it.</summary>
    /// <param name="scope">The stack.</param>
    /// <param name="id">Construct id.</param>
    /// <param name="settings">Architecture, subnets and security groups, and the per-environment concurrency.</param>
    public ManagedInstancesCapacity(Construct scope, string id, PublisherStackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _maxConcurrency = settings.PerExecutionEnvironmentMaxConcurrency;

        var subnets = settings.ManagedInstancesSubnetIds;
        var securityGroups = settings.ManagedInstancesSecurityGroupIds;
        if (subnets.Count == 0)
        {
            // The instances reach Momento and Secrets Manager on the internet: private subnets behind one NAT gateway.
            Vpc = new Vpc(this, "Vpc", new VpcProps
            {
                MaxAzs = 3,
                NatGateways = 1,
                SubnetConfiguration =
                [
                    new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                    new SubnetConfiguration { Name = "instances", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 22 },
                ],
            });
            var group = new SecurityGroup(this, "InstancesSecurityGroup", new SecurityGroupProps
            {
                Vpc = Vpc,
                Description = "Lambda Managed Instances of the Momento Topics publisher: outbound only.",
                AllowAllOutbound = true,
            });
            subnets = [.. Vpc.PrivateSubnets.Select(s => s.SubnetId)];
            securityGroups = [group.SecurityGroupId];
        }

        OperatorRole = new Role(this, "OperatorRole", new RoleProps
        {
            Description = "Lets Lambda launch and manage the capacity provider's EC2 instances.",
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName(OperatorPolicy)],
        });

        Resource = new CfnResource(this, "Resource", new CfnResourceProps
        {
            Type = ResourceType,
            Properties = new Dictionary<string, object>
            {
                ["VpcConfig"] = new Dictionary<string, object> { ["SubnetIds"] = subnets.ToArray(), ["SecurityGroupIds"] = securityGroups.ToArray() },
                ["PermissionsConfig"] = new Dictionary<string, object> { ["CapacityProviderOperatorRoleArn"] = OperatorRole.RoleArn },
                ["InstanceRequirements"] = new Dictionary<string, object>
                {
                    ["Architectures"] = new[] { settings.Architecture == FunctionArchitecture.Arm64 ? "arm64" : "x86_64" },
                },
            },
        });

        // The provider must outlive its instances' network: delete it before the NAT routes go.
        if (Vpc is not null)
        {
            Resource.Node.AddDependency(Vpc);
        }
    }

    /// <summary>The VPC created for the instances; null when existing subnets were given.</summary>
    public Vpc? Vpc { get; }

    /// <summary>The role Lambda assumes to manage the instances.</summary>
    public Role OperatorRole { get; }

    /// <summary>The <c>AWS::Lambda::CapacityProvider</c> resource.</summary>
    public CfnResource Resource { get; }

    /// <summary>The capacity provider's ARN.</summary>
    public string Arn => Resource.GetAtt("Arn").ToString();

    /// <summary>Runs <paramref name="function"/> on this capacity provider, each execution environment taking at most the
    /// configured concurrency at once (Lambda's default when none is set).</summary>
    public void Attach(MomentoFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var config = new Dictionary<string, object> { ["CapacityProviderArn"] = Arn };
        if (_maxConcurrency is { } concurrency)
        {
            config["PerExecutionEnvironmentMaxConcurrency"] = concurrency;
        }

        var cfn = (CfnFunction)function.Function.Node.DefaultChild!;
        cfn.AddPropertyOverride("CapacityProviderConfig", new Dictionary<string, object> { ["LambdaManagedInstancesCapacityProviderConfig"] = config });
    }
}
