using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>Command-line mistakes exit 2 with a message that says what to fix and the usage.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("Unknown command 'frobnicate'.", "frobnicate")]
    [InlineData("Unknown option --bogus.", "subscribe", "--topic", "t", "--bogus", "1")]
    [InlineData("Unknown option --verbose.", "--api-port", "0", "--verbose", "yes")]
    [InlineData("--topic is required.", "subscribe")]
    [InlineData("--topic needs a value.", "subscribe", "--topic")]
    [InlineData("--url is required.", "verify")]
    [InlineData("--event is required.", "invoke")]
    [InlineData("--api-port must be a whole number from 0 to 65535.", "--api-port", "http")]
    [InlineData("--url must be an absolute http(s) URL", "verify", "--url", "ftp://example.com")]
    [InlineData("Give --api-key or --iam, not both", "verify", "--url", "http://127.0.0.1:1", "--api-key", "k", "--iam")]
    [InlineData("--function must be publisher or subscriber.", "invoke", "--event", "x.json", "--function", "other")]
    [InlineData("Unexpected argument 'extra'.", "subscribe", "extra")]
    [InlineData("--topics-port must be a whole number from 1 to 65535.", "invoke", "--event", "x.json", "--topics-port", "abc")]
    [InlineData("--timeout-seconds must be a whole number from 1 to 25.", "verify", "--url", "http://127.0.0.1:1", "--timeout-seconds", "60")]
    public async Task RunAsync_UsageError_ExitsTwoWithMessageAndUsage(string message, params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: dotnet run --project src/Publisher.Local", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("subscribe", "--help")]
    [InlineData("help")]
    public async Task RunAsync_Help_PrintsUsageAndExitsZero(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("subscribe", run.Output, StringComparison.Ordinal);
        Assert.Contains("verify", run.Output, StringComparison.Ordinal);
    }
}
