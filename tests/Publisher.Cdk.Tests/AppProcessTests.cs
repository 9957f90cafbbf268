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
    public async Task App_WrongContext_PrintsOneLineAndExitsOne(string key, string value, string expected)
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
            start.Environment["CDK_CONTEXT_JSON"] = JsonSerializer.Serialize(new Dictionary<string, string> { [key] = value });
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
