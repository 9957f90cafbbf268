using System.Text.RegularExpressions;
using Publisher.Contracts;

namespace Publisher.Cdk.Internal;

/// <summary>The rules <see cref="PublisherStackSettings.Validate"/> applies; each error names the context key to change.</summary>
internal static partial class SettingsValidator
{
    /// <summary>The retention periods CloudWatch Logs accepts, in days.</summary>
    public static readonly IReadOnlySet<int> AllowedRetentionDays = new HashSet<int>
    {
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    };

    public static void Validate(PublisherStackSettings s)
    {
        Require(StackNamePattern().IsMatch(s.StackName), ContextKeys.StackName,
            $"must start with a letter and hold only letters, digits and hyphens (at most 128), not '{s.StackName}'");
        Require(!string.IsNullOrWhiteSpace(s.CacheName) && !HasControlOrSpace(s.CacheName), ContextKeys.CacheName,
            "must be a non-blank name without spaces or control characters");

        if (s.SecretName is not null && s.SecretArn is not null)
        {
            throw new ArgumentException(
                $"Context '{ContextKeys.SecretName}' and '{ContextKeys.SecretArn}' name the same thing: set one of them (or neither, to create a new secret).");
        }

        if (s.SecretName is not null)
        {
            Require(SecretNamePattern().IsMatch(s.SecretName), ContextKeys.SecretName,
                $"must be a Secrets Manager secret name (1-512 of letters, digits and /_+=.@-), not '{s.SecretName}'");
        }

        if (s.SecretArn is not null)
        {
            Require(SecretArnPattern().IsMatch(s.SecretArn), ContextKeys.SecretArn,
                $"must be a secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:momento-api-key-AbCdEf, not '{s.SecretArn}'");
        }

        if (s.SecretKmsKeyArn is not null)
        {
            Require(s.ImportsSecret, ContextKeys.SecretKmsKeyArn,
                $"applies to an imported secret: set '{ContextKeys.SecretName}' or '{ContextKeys.SecretArn}' too (the secret the stack creates uses the AWS managed key)");
            Require(KmsKeyArnPattern().IsMatch(s.SecretKmsKeyArn), ContextKeys.SecretKmsKeyArn,
                $"must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, not '{s.SecretKmsKeyArn}'");
        }

        if (s.MomentoEndpoint is not null)
        {
            Require(HostPattern().IsMatch(s.MomentoEndpoint), ContextKeys.MomentoEndpoint,
                $"must be a host name such as cell-us-east-1-1.prod.a.momentohq.com (no scheme, no path), not '{s.MomentoEndpoint}'");
        }

        Require(s.ThrottleRateLimit >= 1, ContextKeys.ThrottleRateLimit, "must be at least 1 request per second");
        Require(s.ThrottleBurstLimit >= 1, ContextKeys.ThrottleBurstLimit, "must be at least 1 request");
        Require(s.QuotaPerDay >= 1, ContextKeys.QuotaPerDay, "must be at least 1 request per day");
        ValidateFrontDoor(s);
        Require(s.MemorySize is >= 128 and <= 10240, ContextKeys.MemorySize, $"must be 128 to 10240 MB, not {s.MemorySize}");
        Require(s.SubscriberMemorySize is >= 128 and <= 10240, ContextKeys.SubscriberMemorySize,
            $"must be 128 to 10240 MB, not {s.SubscriberMemorySize}");
        Require(AllowedRetentionDays.Contains(s.LogRetentionDays), ContextKeys.LogRetentionDays,
            $"must be one of CloudWatch's retention periods ({string.Join(", ", AllowedRetentionDays.Order())}), not {s.LogRetentionDays}");

        foreach (var prefix in s.TopicPrefixes)
        {
            // A prefix is a topic name's start: no longer than a name may be.
            Require(prefix.Length >= 1 && prefix.Length <= HttpContract.MaxTopicNameLength && !HasControl(prefix), ContextKeys.TopicPrefixes,
                $"must list prefixes of 1 to {HttpContract.MaxTopicNameLength} characters without control characters, separated by commas");
        }

        Require(s.FunctionTimeoutSeconds is >= 1 and <= 900, ContextKeys.FunctionTimeoutSeconds,
            $"must be 1 to 900 seconds, not {s.FunctionTimeoutSeconds}");
        Require(s.SubscriberTimeoutSeconds is >= 1 and <= 900, ContextKeys.SubscriberTimeoutSeconds,
            $"must be 1 to 900 seconds, not {s.SubscriberTimeoutSeconds}");
        Require(s.PublishTimeoutMs >= 1 && s.PublishTimeoutMs < s.FunctionTimeoutSeconds * 1000L, ContextKeys.PublishTimeoutMs,
            $"must be at least 1 and below the publisher's timeout ({ContextKeys.FunctionTimeoutSeconds} = {s.FunctionTimeoutSeconds} s), not {s.PublishTimeoutMs}");
        Require(s.VerifyMaxListenMs >= 1 && s.VerifyMaxListenMs < s.SubscriberTimeoutSeconds * 1000L, ContextKeys.VerifyMaxListenMs,
            $"must be at least 1 and below the subscriber's timeout ({ContextKeys.SubscriberTimeoutSeconds} = {s.SubscriberTimeoutSeconds} s), not {s.VerifyMaxListenMs}");
        Require(s.VerifyMaxListenMs <= PublisherStackSettings.ApiGatewayIntegrationTimeoutMs - 1000, ContextKeys.VerifyMaxListenMs,
            $"must leave a second under API Gateway's 29 s integration timeout (at most 28000), not {s.VerifyMaxListenMs}");
        if (s.ParamsAndSecretsLayerArn is not null)
        {
            Require(ParamsAndSecretsLayer.IsLayerArn(s.ParamsAndSecretsLayerArn), ContextKeys.ParamsAndSecretsLayerArn,
                $"must be a Lambda layer version ARN such as arn:aws:lambda:ca-west-1:<account>:layer:AWS-Parameters-and-Secrets-Lambda-Extension:<version>, not '{s.ParamsAndSecretsLayerArn}'");
        }

        Require(s.SubscriberReservedConcurrency is >= 1 and <= 1000, ContextKeys.SubscriberReservedConcurrency,
            $"must be 1 to 1000 concurrent executions, not {s.SubscriberReservedConcurrency}");
        Require(s.SecretsManagerTtlSeconds is >= 0 and <= 300, ContextKeys.SecretsManagerTtlSeconds,
            $"must be 0 to 300 seconds (the extension's maximum), not {s.SecretsManagerTtlSeconds}");
        Require(s.PublishFailureAlarmThreshold >= 1, ContextKeys.PublishFailureAlarmThreshold, "must be at least 1");

        ValidateManagedInstances(s);

        if (s.AlarmTopicArn is not null)
        {
            Require(SnsArnPattern().IsMatch(s.AlarmTopicArn), ContextKeys.AlarmTopicArn,
                $"must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms, not '{s.AlarmTopicArn}'");
        }

        if (s.ProblemTypeBaseUri is not null)
        {
            // The functions hold it to the same rule (ProblemTypeBase); '$' would be read by the gateway responses' Velocity.
            Require(ProblemTypeBasePattern().IsMatch(s.ProblemTypeBaseUri)
                    && Uri.TryCreate(s.ProblemTypeBaseUri, UriKind.Absolute, out _), ContextKeys.ProblemTypeBaseUri,
                $"must be an absolute http or https URI ending with a slash, without query, fragment, spaces, quotes, backslashes or '$', such as https://api.example.com/topics/problems/, not '{s.ProblemTypeBaseUri}'");
        }
    }

    private static void ValidateManagedInstances(PublisherStackSettings s)
    {
        if (!s.ManagedInstances)
        {
            foreach (var (key, set) in new[]
            {
                (ContextKeys.PerExecutionEnvironmentMaxConcurrency, s.PerExecutionEnvironmentMaxConcurrency is not null),
                (ContextKeys.ManagedInstancesSubnetIds, s.ManagedInstancesSubnetIds.Count > 0),
                (ContextKeys.ManagedInstancesSecurityGroupIds, s.ManagedInstancesSecurityGroupIds.Count > 0),
            })
            {
                Require(!set, key, $"applies to Lambda Managed Instances only: set '{ContextKeys.ManagedInstances}=true' too, or drop it");
            }

            return;
        }

        var min = PublisherStackSettings.ManagedInstancesMinMemorySize;
        Require(s.MemorySize >= min, ContextKeys.MemorySize, $"must be at least {min} MB on Lambda Managed Instances (their smallest function size), not {s.MemorySize}");
        Require(s.SubscriberMemorySize >= min, ContextKeys.SubscriberMemorySize,
            $"must be at least {min} MB on Lambda Managed Instances (their smallest function size), not {s.SubscriberMemorySize}");
        if (s.PerExecutionEnvironmentMaxConcurrency is { } concurrency)
        {
            Require(concurrency is >= 1 and <= PublisherStackSettings.MaxPerExecutionEnvironmentConcurrency, ContextKeys.PerExecutionEnvironmentMaxConcurrency,
                $"must be 1 to {PublisherStackSettings.MaxPerExecutionEnvironmentConcurrency} invocations, not {concurrency}");
        }

        Require(s.ManagedInstancesSubnetIds.Count > 0 == s.ManagedInstancesSecurityGroupIds.Count > 0, ContextKeys.ManagedInstancesSubnetIds,
            $"and '{ContextKeys.ManagedInstancesSecurityGroupIds}' go together: give both (an existing VPC's), or neither (a new VPC)");
        foreach (var subnet in s.ManagedInstancesSubnetIds)
        {
            Require(SubnetIdPattern().IsMatch(subnet), ContextKeys.ManagedInstancesSubnetIds, $"must list subnet ids such as subnet-0abc1234, not '{subnet}'");
        }

        foreach (var group in s.ManagedInstancesSecurityGroupIds)
        {
            Require(SecurityGroupIdPattern().IsMatch(group), ContextKeys.ManagedInstancesSecurityGroupIds, $"must list security group ids such as sg-0abc1234, not '{group}'");
        }

        Require(s.NativeAot != true, ContextKeys.NativeAot,
            $"cannot be true with '{ContextKeys.ManagedInstances}=true': Managed Instances run the managed .NET runtime, so the functions are built for it (not Native AOT)");
        Require(s.PrebuiltPublisherDir is null && s.PrebuiltSubscriberDir is null, ContextKeys.ManagedInstances,
            $"builds the functions for the managed .NET runtime, which a prebuilt 'bootstrap' folder ('{ContextKeys.PrebuiltPublisherDir}', '{ContextKeys.PrebuiltSubscriberDir}') is not");
    }

    // Each door's own keys are refused with another door, so a setting never silently does nothing.
    private static void ValidateFrontDoor(PublisherStackSettings s)
    {
        var jwt = s.FrontDoor == FrontDoor.HttpApi && s.HttpApiAuth == HttpApiAuth.Jwt;
        Require(s.FrontDoor == FrontDoor.HttpApi || s.HttpApiAuth == HttpApiAuth.Iam, ContextKeys.HttpApiAuth,
            $"applies to {ContextKeys.FrontDoor}=httpApi only (this stack's front door is {s.FrontDoor.Name()})");
        if (jwt)
        {
            Require(s.JwtIssuer is not null, ContextKeys.JwtIssuer,
                $"must name the JWT issuer (such as https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123) with {ContextKeys.HttpApiAuth}=jwt");
            Require(Uri.TryCreate(s.JwtIssuer, UriKind.Absolute, out var issuer) && issuer.Scheme == Uri.UriSchemeHttps
                    && issuer.Query.Length == 0 && issuer.Fragment.Length == 0 && !HasControlOrSpace(s.JwtIssuer), ContextKeys.JwtIssuer,
                $"must be an https URL without query or fragment (API Gateway fetches its OpenID configuration), not '{s.JwtIssuer}'");
            Require(s.JwtAudience.Count > 0, ContextKeys.JwtAudience,
                $"must list at least one audience (comma-separated) with {ContextKeys.HttpApiAuth}=jwt");
            foreach (var audience in s.JwtAudience)
            {
                Require(!HasControlOrSpace(audience), ContextKeys.JwtAudience, $"must list audiences without spaces or control characters, not '{audience}'");
            }
        }
        else
        {
            Require(s.JwtIssuer is null, ContextKeys.JwtIssuer, $"is read only with {ContextKeys.FrontDoor}=httpApi and {ContextKeys.HttpApiAuth}=jwt");
            Require(s.JwtAudience.Count == 0, ContextKeys.JwtAudience, $"is read only with {ContextKeys.FrontDoor}=httpApi and {ContextKeys.HttpApiAuth}=jwt");
        }

        if (s.ReservedConcurrency is { } reserved)
        {
            // Lambda keeps 100 of the account's concurrency unreserved; 1,000 is the default account quota.
            Require(reserved >= 1, ContextKeys.ReservedConcurrency, $"must be at least 1 (0 would stop the publisher), not {reserved}");
        }
    }

    private static void Require(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"Context '{key}' {problem}.");
        }
    }

    private static bool HasControl(string value) => value.Any(char.IsControl);

    private static bool HasControlOrSpace(string value) => value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,127}$")]
    private static partial Regex StackNamePattern();

    [GeneratedRegex("^[A-Za-z0-9/_+=.@-]{1,512}$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$")]
    private static partial Regex SecretArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SnsArnPattern();

    [GeneratedRegex(@"^https?://[!%&'()*+,\-./0-9:;=@A-Z\[\]_a-z~]+/$")]
    private static partial Regex ProblemTypeBasePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KmsKeyArnPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$")]
    private static partial Regex HostPattern();

    [GeneratedRegex("^subnet-[0-9a-f]{8,17}$")]
    private static partial Regex SubnetIdPattern();

    [GeneratedRegex("^sg-[0-9a-f]{8,17}$")]
    private static partial Regex SecurityGroupIdPattern();
}
