using Publisher.DeploymentCheck.Tests.Infrastructure;

namespace Publisher.DeploymentCheck.Tests;

/// <summary>The checker's command line: the library's help, version and errors, exit code 2 for mistakes.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("Option '--url' is required.", "verify")]
    [InlineData("Required command was not provided.")]
    [InlineData("Required command was not provided.\nUnrecognized command or argument 'frobnicate'.", "frobnicate")]
    [InlineData("Unrecognized command or argument '--bogus'.", "verify", "--url", "http://127.0.0.1:1", "--bogus")]
    [InlineData("--url must be an absolute http(s) URL, such as the stack's ApiUrl output, not 'ftp://example.com'.", "verify", "--url", "ftp://example.com")]
    [InlineData("Give one of --api-key, --bearer and --iam/--profile", "verify", "--url", "http://127.0.0.1:1", "--api-key", "k", "--iam")]
    [InlineData("Give one of --api-key, --bearer and --iam/--profile", "verify", "--url=http://127.0.0.1:1", "--api-key=k", "--profile=p")]
    [InlineData("Give one of --api-key, --bearer and --iam/--profile", "verify", "--url", "http://127.0.0.1:1", "--bearer", "t", "--iam")]
    [InlineData("Give one of --api-key, --bearer and --iam/--profile", "verify", "--url", "http://127.0.0.1:1", "--bearer", "t", "--api-key", "k")]
    [InlineData("--aws-service is the SigV4 service: use it with --iam or --profile.", "verify", "--url", "http://127.0.0.1:1", "--aws-service", "lambda")]
    [InlineData("Argument 's3' not recognized. Must be one of:", "verify", "--url", "http://127.0.0.1:1", "--iam", "--aws-service", "s3")]
    [InlineData("--verify-url must be an absolute http(s) URL, such as the stack's SubscriberUrl output, not 'subscriber'.", "verify", "--url", "http://127.0.0.1:1", "--verify-url", "subscriber")]
    [InlineData("--bearer needs a value that is not blank and has no control characters.", "verify", "--url", "http://127.0.0.1:1", "--bearer", " ")]
    [InlineData("--region is the SigV4 signing region: use it with --iam or --profile.", "verify", "--url", "http://127.0.0.1:1", "--region", "eu-west-1")]
    [InlineData("--timeout-seconds must be a whole number from 1 to 25, not '60'.", "verify", "--url", "http://127.0.0.1:1", "--timeout-seconds", "60")]
    [InlineData("--topic needs a value that is not blank and has no control characters.", "verify", "--url", "http://127.0.0.1:1", "--topic", "")]
    [InlineData("--api-key needs a value that is not blank and has no control characters.", "verify", "--url", "http://127.0.0.1:1", "--api-key", " ")]
    [InlineData("--profile needs a value that is not blank and has no control characters.", "verify", "--url", "http://127.0.0.1:1", "--profile", "")]
    public async Task RunAsync_UsageError_ExitsTwoWithTheMessageOnStderr(string message, params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("verify", "--help")]
    [InlineData("verify", "-h")]
    public async Task RunAsync_Help_PrintsUsageAndExitsZero(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("dotnet run --project src/Publisher.DeploymentCheck --", run.Output, StringComparison.Ordinal);
        Assert.Contains("verify", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_VerifyHelp_ListsEveryOption()
    {
        var run = await CliRun.RunAsync("verify", "--help");

        foreach (var option in new[] { "--url", "--api-key", "--iam", "--profile", "--region", "--topic", "--timeout-seconds" })
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_Version_PrintsTheVersion()
    {
        var run = await CliRun.RunAsync("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Output);
    }
}
