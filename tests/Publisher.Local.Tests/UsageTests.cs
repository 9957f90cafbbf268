using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>Command-line mistakes exit 2 with the library's message (or the option's own rule) on stderr and a pointer to --help.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("Unrecognized command or argument 'frobnicate'.", "frobnicate")]
    [InlineData("Unrecognized command or argument '--bogus'.", "subscribe", "--topic", "t", "--bogus", "1")]
    [InlineData("Unrecognized command or argument '--verbose'.", "--api-port", "0", "--verbose", "yes")]
    [InlineData("Option '--topic' is required.", "subscribe")]
    [InlineData("Required argument missing for option: '--topic'.", "subscribe", "--topic")]
    [InlineData("Option '--event' is required.", "invoke")]
    [InlineData("--api-port must be a whole number from 0 to 65535, not 'http'.", "--api-port", "http")]
    [InlineData("--api-port must be a whole number from 0 to 65535, not '70000'.", "serve", "--api-port=70000")]
    [InlineData("Argument 'other' not recognized. Must be one of:", "invoke", "--event", "x.json", "--function", "other")]
    [InlineData("Unrecognized command or argument 'extra'.", "subscribe", "--topic", "t", "extra")]
    [InlineData("--topics-port must be a whole number from 1 to 65535, not 'abc'.", "invoke", "--event", "x.json", "--topics-port", "abc")]
    [InlineData("File does not exist: 'no-such-event.json'.", "invoke", "--event", "no-such-event.json")]
    [InlineData("--cache needs a value that is not blank and has no control characters.", "--api-port", "0", "--cache", "")]
    [InlineData("--cache needs a value that is not blank and has no control characters.", "serve", "--cache= ")]
    [InlineData("--api-key needs a value that is not blank and has no control characters.", "--api-key", "")]
    [InlineData("--api-key needs a value that is not blank and has no control characters.", "--api-key", "k\ney")]
    [InlineData("--api-key must be printable ASCII: it is sent in the x-api-key header", "--api-key", "ключ")]
    [InlineData("--front-door must be restApi, httpApi, functionUrl, not 'apiGateway'.", "--front-door", "apiGateway")]
    [InlineData("Required argument missing for option: '--front-door'.", "serve", "--front-door=")]
    [InlineData("--topic needs a value that is not blank and has no control characters.", "subscribe", "--topic", "")]
    [InlineData("--cache needs a value that is not blank and has no control characters.", "subscribe", "--topic", "t", "--cache", "\t")]
    public async Task RunAsync_UsageError_ExitsTwoWithMessageOnStderr(string message, params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'dotnet run --project src/Publisher.Local --", run.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task RunAsync_Verify_SaysItMovedToTheDeploymentChecker()
    {
        var run = await CliRun.RunAsync("verify", "--url", "http://127.0.0.1:3000", "--api-key", "k");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("verify moved to the deployment checker: dotnet run --project src/Publisher.DeploymentCheck -- verify", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task RunAsync_Help_ListsTheCommandsAndServeOptions(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("dotnet run --project src/Publisher.Local -- [command] [options]", run.Output, StringComparison.Ordinal);
        foreach (var word in new[] { "serve", "subscribe", "invoke", "--api-port", "--topics-port", "--cache", "--api-key", "--front-door", "restApi|httpApi|functionUrl" })
        {
            Assert.Contains(word, run.Output, StringComparison.Ordinal);
        }

        // Moved away: not offered any more.
        Assert.DoesNotContain("verify", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subscribe", "--topic", "--topics-port", "--no-heartbeats")]
    [InlineData("invoke", "--event", "--function", "--topics-port")]
    public async Task RunAsync_CommandHelp_ListsItsOptions(string command, params string[] options)
    {
        var run = await CliRun.RunAsync(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.All(options, option => Assert.Contains(option, run.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Version_PrintsTheVersion()
    {
        var run = await CliRun.RunAsync("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Output);
    }
}
