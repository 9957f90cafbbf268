using Publisher.Contracts;

namespace Publisher.Cdk.Tests;

/// <summary>Context parsing and validation; pure .NET, no jsii.</summary>
public sealed class SettingsTests
{
    private static PublisherStackSettings Parse(params (string Key, object Value)[] context)
    {
        var values = context.ToDictionary(c => c.Key, c => c.Value);
        return PublisherStackSettings.FromContext(key => values.GetValueOrDefault(key));
    }

    private static string Error(params (string Key, object Value)[] context) =>
        Assert.Throws<ArgumentException>(() => Parse(context)).Message;

    [Fact]
    public void FromContext_Empty_GivesTheDocumentedDefaults()
    {
        var settings = Parse();

        Assert.Equal(new PublisherStackSettings(), settings with { TopicPrefixes = new PublisherStackSettings().TopicPrefixes, JwtAudience = new PublisherStackSettings().JwtAudience });
        Assert.Equal("MomentoTopicsPublisher", settings.StackName);
        Assert.Equal("default-cache", settings.CacheName);
        Assert.Equal(ApiAuthMode.ApiKey, settings.AuthMode);
        Assert.Equal(FunctionArchitecture.X64, settings.Architecture);
        Assert.Equal((50, 100, 100_000), (settings.ThrottleRateLimit, settings.ThrottleBurstLimit, settings.QuotaPerDay));
        Assert.Equal((256, 256), (settings.MemorySize, settings.SubscriberMemorySize));
        Assert.Equal((10, 30), (settings.FunctionTimeoutSeconds, settings.SubscriberTimeoutSeconds));
        Assert.Equal((5000, 25_000, 300, 30), (settings.PublishTimeoutMs, settings.VerifyMaxListenMs, settings.SecretsManagerTtlSeconds, settings.LogRetentionDays));
        Assert.Empty(settings.TopicPrefixes);
        Assert.False(settings.ImportsSecret);
        Assert.False(settings.SkipBundling);
        Assert.Null(settings.NativeAot);
        Assert.False(settings.AwsLambdaPackages);
        Assert.Null(settings.SecretName);
        Assert.Null(settings.MomentoEndpoint);
        Assert.True(settings.Dashboard);
        Assert.Equal(FrontDoor.RestApi, settings.FrontDoor);
        Assert.Equal(HttpApiAuth.Iam, settings.HttpApiAuth);
        Assert.Null(settings.ReservedConcurrency);
        Assert.Null(settings.EffectiveReservedConcurrency);
    }

    [Theory]
    [InlineData("restApi", FrontDoor.RestApi)]
    [InlineData("httpApi", FrontDoor.HttpApi)]
    [InlineData("HTTPAPI", FrontDoor.HttpApi)]
    [InlineData("functionUrl", FrontDoor.FunctionUrl)]
    public void FromContext_FrontDoor_IsParsed(string value, FrontDoor door) =>
        Assert.Equal(door, Parse(("frontDoor", value)).FrontDoor);

    [Fact]
    public void FromContext_FunctionUrl_ReservesTenUnlessTold()
    {
        Assert.Equal(10, Parse(("frontDoor", "functionUrl")).EffectiveReservedConcurrency);
        Assert.Equal(40, Parse(("frontDoor", "functionUrl"), ("reservedConcurrency", "40")).EffectiveReservedConcurrency);
        Assert.Equal(3, Parse(("reservedConcurrency", 3L)).EffectiveReservedConcurrency);
        Assert.Null(Parse(("frontDoor", "httpApi")).EffectiveReservedConcurrency);
    }

    [Fact]
    public void FromContext_Jwt_ReadsIssuerAndAudiences()
    {
        var settings = Parse(("frontDoor", "httpApi"), ("httpApiAuth", "jwt"), ("jwtIssuer", "https://issuer.example.com/pool"), ("jwtAudience", "a, b"));

        Assert.Equal(HttpApiAuth.Jwt, settings.HttpApiAuth);
        Assert.Equal("https://issuer.example.com/pool", settings.JwtIssuer);
        Assert.Equal(["a", "b"], settings.JwtAudience);
    }

    [Theory]
    [InlineData("frontDoor=apiGateway", "'frontDoor' must be 'restApi' or 'httpApi' or 'functionUrl'")]
    [InlineData("httpApiAuth=jwt", "'httpApiAuth' applies to frontDoor=httpApi only")]
    [InlineData("frontDoor=functionUrl;httpApiAuth=jwt", "'httpApiAuth' applies to frontDoor=httpApi only")]
    [InlineData("frontDoor=httpApi;httpApiAuth=cognito", "'httpApiAuth' must be 'iam' or 'jwt'")]
    [InlineData("frontDoor=httpApi;httpApiAuth=jwt;jwtAudience=a", "'jwtIssuer' must name the JWT issuer")]
    [InlineData("frontDoor=httpApi;httpApiAuth=jwt;jwtIssuer=http://issuer.example.com/;jwtAudience=a", "'jwtIssuer' must be an https URL")]
    [InlineData("frontDoor=httpApi;httpApiAuth=jwt;jwtIssuer=https://issuer.example.com/?x=1;jwtAudience=a", "'jwtIssuer' must be an https URL")]
    [InlineData("frontDoor=httpApi;httpApiAuth=jwt;jwtIssuer=https://issuer.example.com/", "'jwtAudience' must list at least one audience")]
    [InlineData("frontDoor=httpApi;jwtIssuer=https://issuer.example.com/", "'jwtIssuer' is read only with frontDoor=httpApi and httpApiAuth=jwt")]
    [InlineData("jwtAudience=a", "'jwtAudience' is read only with frontDoor=httpApi and httpApiAuth=jwt")]
    [InlineData("frontDoor=functionUrl;reservedConcurrency=0", "'reservedConcurrency' must be at least 1")]
    [InlineData("reservedConcurrency=many", "'reservedConcurrency' must be a whole number")]
    public void FromContext_BadFrontDoorSettings_FailNamingTheKey(string pairs, string expected)
    {
        var context = pairs.Split(';').Select(pair => pair.Split('=', 2)).Select(kv => (kv[0], (object)kv[1])).ToArray();

        Assert.Contains(expected, Error(context), StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_CommandLineStrings_AreParsed()
    {
        var settings = Parse(
            ("authMode", "IAM"), ("architecture", "arm64"), ("memorySize", "1024"), ("throttleRateLimit", "5"),
            ("topicPrefixes", " orders-, ,audit- "), ("skipBundling", "true"), ("nativeAot", "false"),
            ("secretName", "prod/momento"), ("momentoEndpoint", "cell-1.prod.a.momentohq.com"), ("logRetentionDays", "7"), ("dashboard", "false"),
            ("awsLambdaPackages", "true"));

        Assert.Equal(ApiAuthMode.Iam, settings.AuthMode);
        Assert.Equal(FunctionArchitecture.Arm64, settings.Architecture);
        Assert.Equal(1024, settings.MemorySize);
        Assert.Equal(5, settings.ThrottleRateLimit);
        Assert.Equal(["orders-", "audit-"], settings.TopicPrefixes);
        Assert.True(settings.SkipBundling);
        Assert.False(settings.NativeAot);
        Assert.Equal("prod/momento", settings.SecretName);
        Assert.True(settings.ImportsSecret);
        Assert.Equal(7, settings.LogRetentionDays);
        Assert.False(settings.Dashboard);
        Assert.True(settings.AwsLambdaPackages);
    }

    [Fact]
    public void FromContext_CdkJsonTypes_AreParsed()
    {
        var settings = Parse(
            ("quotaPerDay", 2000.0), ("throttleBurstLimit", 20L), ("skipBundling", true), ("topicPrefixes", new object[] { "a-", "b-" }),
            ("nativeAot", "auto"), ("dashboard", false));

        Assert.Equal(2000, settings.QuotaPerDay);
        Assert.Equal(20, settings.ThrottleBurstLimit);
        Assert.True(settings.SkipBundling);
        Assert.Equal(["a-", "b-"], settings.TopicPrefixes);
        Assert.Null(settings.NativeAot);
        Assert.False(settings.Dashboard);
    }

    [Theory]
    [InlineData("authMode", "cognito", "'authMode' must be 'apiKey' or 'iam'")]
    [InlineData("architecture", "x64", "'architecture' must be 'x86_64' or 'arm64'")]
    [InlineData("memorySize", "lots", "'memorySize' must be a whole number")]
    [InlineData("memorySize", "64", "'memorySize' must be 128 to 10240 MB")]
    [InlineData("logRetentionDays", "31", "'logRetentionDays' must be one of CloudWatch's retention periods")]
    [InlineData("stackName", "1stack", "'stackName' must start with a letter")]
    [InlineData("secretArn", "my-secret", "'secretArn' must be a secret ARN")]
    [InlineData("momentoEndpoint", "https://cell-1.momentohq.com", "'momentoEndpoint' must be a host name")]
    [InlineData("publishTimeoutMs", "10000", "'publishTimeoutMs' must be at least 1 and below the publisher's timeout")]
    [InlineData("verifyMaxListenMs", "0", "'verifyMaxListenMs' must be at least 1 and below the subscriber's timeout")]
    [InlineData("verifyMaxListenMs", "30000", "'verifyMaxListenMs' must be at least 1 and below the subscriber's timeout")]
    [InlineData("secretsManagerTtlSeconds", "301", "'secretsManagerTtlSeconds' must be 0 to 300 seconds")]
    [InlineData("skipBundling", "yes", "'skipBundling' must be true or false")]
    [InlineData("dashboard", "off", "'dashboard' must be true or false")]
    [InlineData("throttleRateLimit", "0", "'throttleRateLimit' must be at least 1")]
    [InlineData("alarmTopicArn", "ops", "'alarmTopicArn' must be an SNS topic ARN")]
    [InlineData("problemTypeBaseUri", "https://api.example.com/problems", "'problemTypeBaseUri' must be an absolute http or https URI ending with a slash")]
    [InlineData("problemTypeBaseUri", "/problems/", "'problemTypeBaseUri' must be an absolute http or https URI ending with a slash")]
    [InlineData("problemTypeBaseUri", "https://api.example.com/$stage/problems/", "'problemTypeBaseUri' must be an absolute http or https URI")]
    [InlineData("problemTypeBaseUri", "https://api.example.com/problems/?x=1/", "'problemTypeBaseUri' must be an absolute http or https URI")]
    public void FromContext_BadValue_FailsNamingTheKey(string key, string value, string expected)
    {
        Assert.Contains(expected, Error((key, value)), StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_BothSecretNameAndArn_Fails()
    {
        var message = Error(("secretName", "prod/momento"), ("secretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/momento-AbCdEf"));

        Assert.Contains("'secretName' and 'secretArn'", message, StringComparison.Ordinal);
        Assert.Contains("set one of them", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ListenBoundAboveTheGatewayLimit_FailsEvenWithALongSubscriberTimeout()
    {
        var message = Error(("subscriberTimeoutSeconds", "60"), ("verifyMaxListenMs", "28500"));

        Assert.Contains("29 s integration timeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HandBuiltSettings_AreHeldToTheSameRules()
    {
        var settings = new PublisherStackSettings { TopicPrefixes = ["ok-", "bad\nprefix"] };

        var error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Contains("'topicPrefixes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ManagedInstances_DefaultsBothFunctionsTo2GbAndReadsTheConcurrency()
    {
        var settings = Parse(("managedInstances", "true"), ("perExecutionEnvironmentMaxConcurrency", "64"));

        Assert.True(settings.ManagedInstances);
        Assert.Equal(64, settings.PerExecutionEnvironmentMaxConcurrency);
        Assert.Equal((2048, 2048), (settings.MemorySize, settings.SubscriberMemorySize));
        Assert.Empty(settings.ManagedInstancesSubnetIds);
        Assert.False(Parse().ManagedInstances);
        Assert.Null(Parse(("managedInstances", "true")).PerExecutionEnvironmentMaxConcurrency);
    }

    [Theory]
    [InlineData("perExecutionEnvironmentMaxConcurrency", "must be 1 to 1600", "managedInstances", "true", "perExecutionEnvironmentMaxConcurrency", "0")]
    [InlineData("perExecutionEnvironmentMaxConcurrency", "must be 1 to 1600", "managedInstances", "true", "perExecutionEnvironmentMaxConcurrency", "1601")]
    [InlineData("perExecutionEnvironmentMaxConcurrency", "applies to Lambda Managed Instances only", "perExecutionEnvironmentMaxConcurrency", "32", "dashboard", "true")]
    [InlineData("managedInstancesSubnetIds", "applies to Lambda Managed Instances only", "managedInstancesSubnetIds", "subnet-0a1b2c3d", "dashboard", "true")]
    [InlineData("memorySize", "at least 2048 MB on Lambda Managed Instances", "managedInstances", "true", "memorySize", "1024")]
    [InlineData("subscriberMemorySize", "at least 2048 MB on Lambda Managed Instances", "managedInstances", "true", "subscriberMemorySize", "512")]
    [InlineData("managedInstancesSubnetIds", "go together", "managedInstances", "true", "managedInstancesSubnetIds", "subnet-0a1b2c3d")]
    [InlineData("managedInstancesSecurityGroupIds", "must list security group ids", "managedInstances", "true", "managedInstancesSecurityGroupIds", "default")]
    [InlineData("nativeAot", "cannot be true", "managedInstances", "true", "nativeAot", "true")]
    public void FromContext_ManagedInstancesMistakes_NameTheKey(string key, string problem, string key1, string value1, string key2, string value2)
    {
        var context = new List<(string, object)> { (key1, value1), (key2, value2) };
        if (key == "managedInstancesSecurityGroupIds")
        {
            context.Add(("managedInstancesSubnetIds", "subnet-0a1b2c3d"));
        }

        var message = Error([.. context]);

        Assert.Contains($"'{key}'", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }
}
