
namespace Publisher.DeploymentCheck.Tests.Infrastructure;

/// <summary>Runs the checker in-process with captured output (for runs that need no AWS credentials).</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        var exitCode = await DeploymentCheckCli.RunAsync(args, output, error, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return new CliRun(exitCode, string.Join('\n', output.Lines), string.Join('\n', error.Lines));
    }
}
