using System.Diagnostics;
using System.Text.Json;

namespace Publisher.Cdk.Tests;

/// <summary>The CDK app as the CLI runs it (a process with CDK_CONTEXT_JSON): a wrong setting is one line and exit code 1.</summary>
public sealed class AppProcessTests
{
    [Theory]
    [InlineData("authMode", "bogus", "Publisher.Cdk: Context 'authMode' must be 'apiKey' or 'iam', not 'bogus'.")]
    [InlineData("memorySize", "abc", "Publisher.Cdk: Context 'memorySize' must be a whole number, not 'abc'.")]
    [InlineData("secretArn", "not-an-arn", "Publisher.Cdk: Context 'secretArn' must be a secret ARN")]
    public Task App_WrongContext_PrintsOneLineAndExitsOne(string key, string value, string expected) =>
        AssertOneLineAndExitOneAsync(new Dictionary<string, string> { [key] = value }, [], expected);

    [Theory]
    [InlineData("x86_64", "ca-west-1")]
    [InlineData("arm64", "eu-central-2")]
    public Task App_TargetRegionWithoutAKnownLayer_StopsSynthNamingTheRegionAndTheContextKey(string architecture, string region) =>
        AssertOneLineAndExitOneAsync(
            new Dictionary<string, string> { ["architecture"] = architecture },
            new Dictionary<string, string> { ["CDK_DEFAULT_REGION"] = region },
            $"Publisher.Cdk: The Parameters and Secrets extension layer has no ARN known for {region} ({architecture}): pass the one AWS publishes for that region with -c paramsAndSecretsLayerArn=");

    private static async Task AssertOneLineAndExitOneAsync(Dictionary<string, string> context, Dictionary<string, string> environment, string expected)
    {
        var output = Directory.CreateTempSubdirectory("cdk-app-");
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Publisher.Cdk.dll")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                WorkingDirectory = output.FullName,
            };
            start.Environment["CDK_CONTEXT_JSON"] = JsonSerializer.Serialize(context);
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            start.Environment["CDK_OUTDIR"] = output.FullName;
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(1, process.ExitCode);
            var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith(expected, Assert.Single(lines), StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", await stdout + await error, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
