using Publisher.Contracts;
using Publisher.DeploymentCheck.Tests.Infrastructure;
using Publisher.Local;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>
/// <c>verify</c> against every front door: the local service in each door's event shape, and AWS at the boundary for
/// what only AWS checks (SigV4 scoped to <c>lambda</c> on two function URLs, an HTTP API's JWT authorizer).
/// </summary>
public sealed class FrontDoorVerifyTests : IDisposable
{
    private const string KeyId = "AKIAFRONTDOORTEST001";
    private const string Secret = "front/door/secret/key/000000000000000001";
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJvcmRlcnMifQ.c2lnbmF0dXJl";

    private readonly CheckerProcess _checker = new();

    public void Dispose() => _checker.Dispose();

    public static TheoryData<FrontDoor> Doors => [FrontDoor.RestApi, FrontDoor.HttpApi, FrontDoor.FunctionUrl];

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task Verify_LocalServiceInEachDoorsShape_ExitsZero(FrontDoor door)
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options() with { FrontDoor = door });

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", LocalStack.ApiKey, "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("OK: probe 'verify-", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task VerifyIdempotency_LocalServiceInEachDoorsShape_ReplayedAndArrivedOnce(FrontDoor door)
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options() with { FrontDoor = door });

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", LocalStack.ApiKey, "--timeout-seconds", "10", "--idempotency");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("OK: probe 'verify-", run.Output, StringComparison.Ordinal);
        Assert.Contains("Idempotent-Replayed: true), and the probe arrived once", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TwoFunctionUrls_SignsBothForLambdaAndAsksTheSubscriberAtItsOwnUrl()
    {
        var keys = new Dictionary<string, (string, string?)> { [KeyId] = (Secret, null) };
        await using var publisher = await FakeIamGateway.StartAsync(keys, service: "lambda", stage: null);
        await using var subscriber = await FakeIamGateway.StartAsync(keys, service: "lambda", stage: null, probes: publisher.Probes);
        UseCredentials();

        var run = await _checker.RunAsync(
            "verify", "--url", publisher.Url.ToString(), "--verify-url", subscriber.Url + "verify", "--iam", "--aws-service", "lambda", "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Signing with SigV4 for lambda in eu-west-1", run.Output, StringComparison.Ordinal);
        Assert.Contains($"The subscriber is at {subscriber.Url}", run.Output, StringComparison.Ordinal);
        Assert.Empty(publisher.Refused);
        Assert.Empty(subscriber.Refused);
        // The probes went to the publisher's URL, the one verification to the subscriber's.
        Assert.NotEmpty(publisher.Accepted);
        Assert.Single(subscriber.Accepted);
        Assert.All(publisher.Accepted.Concat(subscriber.Accepted), claim => Assert.Equal(("lambda", "eu-west-1"), (claim.Service, claim.Region)));
    }

    [Fact]
    public async Task Verify_FunctionUrlSignedForExecuteApi_IsAuthRejectedNamingTheService()
    {
        await using var url = await FakeIamGateway.StartAsync(new Dictionary<string, (string, string?)> { [KeyId] = (Secret, null) }, service: "lambda", stage: null);
        UseCredentials();

        // 127.0.0.1 is no *.lambda-url.*.on.aws host, so without --aws-service the checker signs for execute-api.
        var run = await _checker.RunAsync("verify", "--url", url.Url.ToString(), "--iam", "--timeout-seconds", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Signing with SigV4 for execute-api", run.Output, StringComparison.Ordinal);
        Assert.Contains("auth rejected: POST /topics answered 403", run.Output, StringComparison.Ordinal);
        Assert.Contains("--aws-service", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BearerToken_PassesTheJwtAuthorizer()
    {
        await using var api = await FakeIamGateway.StartJwtAsync(Token);

        var run = await CliRun.RunAsync("verify", "--url", api.Url.ToString(), "--bearer", Token, "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Empty(api.Refused);
        Assert.DoesNotContain(Token, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongBearerToken_IsAuthRejected401WithTheJwtAdvice()
    {
        await using var api = await FakeIamGateway.StartJwtAsync(Token);

        var run = await CliRun.RunAsync("verify", "--url", api.Url.ToString(), "--bearer", "not-the-token", "--timeout-seconds", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("auth rejected: POST /topics answered 401", run.Output, StringComparison.Ordinal);
        Assert.Contains("Check the JWT (--bearer)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BearerTokenInTheEnvironment_IsSentWithoutBeingNamedOnTheCommandLine()
    {
        await using var api = await FakeIamGateway.StartJwtAsync(Token);
        _checker.Environment["VERIFY_BEARER_TOKEN"] = Token;

        var run = await _checker.RunAsync("verify", "--url", api.Url.ToString(), "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Sending the JWT in VERIFY_BEARER_TOKEN as a bearer token", run.Output, StringComparison.Ordinal);
        Assert.Empty(api.Refused);
        Assert.DoesNotContain(Token, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BearerTokenInTheEnvironment_IsNotSentWhenAnApiKeyIsGiven()
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options());
        _checker.Environment["VERIFY_BEARER_TOKEN"] = Token;

        var run = await _checker.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", LocalStack.ApiKey, "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.DoesNotContain("VERIFY_BEARER_TOKEN", run.Output, StringComparison.Ordinal);
    }

    private void UseCredentials()
    {
        _checker.Environment["AWS_ACCESS_KEY_ID"] = KeyId;
        _checker.Environment["AWS_SECRET_ACCESS_KEY"] = Secret;
        _checker.Environment["AWS_REGION"] = "eu-west-1";
    }
}
