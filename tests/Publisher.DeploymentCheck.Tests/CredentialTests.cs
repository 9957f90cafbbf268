using Publisher.DeploymentCheck.Tests.Infrastructure;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>
/// <c>verify --iam</c> signs with credentials found the standard way, proven end to end: the checker runs as
/// its own process with an environment and shared files made here, against a stand-in of an IAM-authorized
/// API Gateway stage that checks every signature. Nothing reaches AWS.
/// </summary>
public sealed class CredentialTests : IDisposable
{
    private const string EnvKeyId = "AKIAENVIRONMENT00001";
    private const string EnvSecret = "environment/secret/key/0000000000000000001";
    private const string ProfileKeyId = "AKIAPROFILEDEPLOYER1";
    private const string ProfileSecret = "profile/secret/key/00000000000000000000001";
    private const string DefaultKeyId = "AKIAPROFILEDEFAULT01";
    private const string DefaultSecret = "default/secret/key/00000000000000000000001";

    private readonly CheckerProcess _checker = new();

    [Fact]
    public async Task Verify_CredentialsInTheEnvironment_SignsWithThemAndTheSessionToken()
    {
        await using var gateway = await FakeIamGateway.StartAsync(new Dictionary<string, (string, string?)> { [EnvKeyId] = (EnvSecret, "env-session-token") });
        _checker.Environment["AWS_ACCESS_KEY_ID"] = EnvKeyId;
        _checker.Environment["AWS_SECRET_ACCESS_KEY"] = EnvSecret;
        _checker.Environment["AWS_SESSION_TOKEN"] = "env-session-token";
        _checker.Environment["AWS_REGION"] = "eu-west-1";

        var run = await _checker.RunAsync("verify", "--url", gateway.Url.ToString(), "--iam", "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Signing with SigV4 for execute-api in eu-west-1, credentials from the default credential chain", run.Output, StringComparison.Ordinal);
        Assert.Contains("OK: probe 'verify-", run.Output, StringComparison.Ordinal);
        Assert.Empty(gateway.Refused);
        Assert.All(gateway.Accepted, claim => Assert.Equal((EnvKeyId, "eu-west-1"), (claim.AccessKeyId, claim.Region)));
        Assert.True(gateway.Accepted.Count >= 2); // the verify request and at least one probe
        Assert.DoesNotContain(EnvSecret, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ProfileInTempSharedFiles_SignsWithTheProfilesKeysAndRegion()
    {
        await using var gateway = await FakeIamGateway.StartAsync(new Dictionary<string, (string, string?)>
        {
            [ProfileKeyId] = (ProfileSecret, null),
            [DefaultKeyId] = (DefaultSecret, null),
        });
        UseSharedFiles();

        var run = await _checker.RunAsync("verify", "--url", gateway.Url.ToString(), "--profile", "deployer", "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Signing with SigV4 for execute-api in eu-central-1, credentials from profile 'deployer'", run.Output, StringComparison.Ordinal);
        Assert.Empty(gateway.Refused);
        Assert.All(gateway.Accepted, claim => Assert.Equal((ProfileKeyId, "eu-central-1"), (claim.AccessKeyId, claim.Region)));
    }

    [Fact]
    public async Task Verify_AwsProfileVariableAndRegionOption_UsesThatProfileAndRegion()
    {
        await using var gateway = await FakeIamGateway.StartAsync(new Dictionary<string, (string, string?)> { [ProfileKeyId] = (ProfileSecret, null) });
        UseSharedFiles();
        _checker.Environment["AWS_PROFILE"] = "deployer";

        var run = await _checker.RunAsync("verify", "--url=" + gateway.Url, "--iam", "--region=ap-southeast-2", "--timeout-seconds=10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.All(gateway.Accepted, claim => Assert.Equal((ProfileKeyId, "ap-southeast-2"), (claim.AccessKeyId, claim.Region)));
    }

    [Fact]
    public async Task Verify_DefaultProfileFromTheDefaultLocation_IsTheChainsChoice()
    {
        await using var gateway = await FakeIamGateway.StartAsync(new Dictionary<string, (string, string?)> { [DefaultKeyId] = (DefaultSecret, null) });
        _checker.WriteFile(".aws/credentials", $"[default]\naws_access_key_id = {DefaultKeyId}\naws_secret_access_key = {DefaultSecret}\n");
        _checker.WriteFile(".aws/config", "[default]\nregion = us-west-2\n");

        var run = await _checker.RunAsync("verify", "--url", gateway.Url.ToString(), "--iam", "--timeout-seconds", "10");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.All(gateway.Accepted, claim => Assert.Equal((DefaultKeyId, "us-west-2"), (claim.AccessKeyId, claim.Region)));
    }

    [Fact]
    public async Task Verify_ProfileNotInTheFiles_ExitsTwoNamingIt()
    {
        UseSharedFiles();

        var run = await _checker.RunAsync("verify", "--url", "http://127.0.0.1:9/prod/", "--profile", "nobody");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("The AWS profile 'nobody' is not in the shared config or credentials file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoCredentialsAnywhere_ExitsTwoSayingWhereTheyCanComeFrom()
    {
        _checker.Environment["AWS_REGION"] = "eu-west-1";

        var run = await _checker.RunAsync("verify", "--url", "http://127.0.0.1:9/prod/", "--iam");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("No AWS credentials found.", run.Error, StringComparison.Ordinal);
        Assert.Contains("--profile", run.Error, StringComparison.Ordinal);
        Assert.Contains("aws sso login", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoRegionForAUrlThatNamesNone_ExitsTwoAskingForRegion()
    {
        _checker.Environment["AWS_ACCESS_KEY_ID"] = EnvKeyId;
        _checker.Environment["AWS_SECRET_ACCESS_KEY"] = EnvSecret;

        var run = await _checker.RunAsync("verify", "--url", "http://127.0.0.1:9/prod/", "--iam");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("No AWS region for signing: give --region", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongKeys_ExitsOneWithAuthRejected()
    {
        await using var gateway = await FakeIamGateway.StartAsync(new Dictionary<string, (string, string?)> { [EnvKeyId] = (EnvSecret, null) });
        _checker.Environment["AWS_ACCESS_KEY_ID"] = EnvKeyId;
        _checker.Environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret";

        var run = await _checker.RunAsync("verify", "--url", gateway.Url.ToString(), "--iam", "--region", "eu-west-1", "--timeout-seconds", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("auth rejected", run.Output, StringComparison.Ordinal);
        Assert.Contains("signature we calculated does not match", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _checker.Dispose();

    // A credentials file with a default and a named profile, and a config file giving the named one a region,
    // in the places AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name (not ~/.aws).
    private void UseSharedFiles()
    {
        _checker.Environment["AWS_SHARED_CREDENTIALS_FILE"] = _checker.WriteFile(
            "shared/credentials",
            $"[default]\naws_access_key_id = {DefaultKeyId}\naws_secret_access_key = {DefaultSecret}\n\n" +
            $"[deployer]\naws_access_key_id = {ProfileKeyId}\naws_secret_access_key = {ProfileSecret}\n");
        _checker.Environment["AWS_CONFIG_FILE"] = _checker.WriteFile(
            "shared/config",
            "[default]\nregion = us-east-1\n\n[profile deployer]\nregion = eu-central-1\n");
    }
}
