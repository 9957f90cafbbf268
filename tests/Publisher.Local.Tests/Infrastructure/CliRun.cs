namespace Publisher.Local.Tests.Infrastructure;

/// <summary>Runs a command in-process with captured output and an empty environment.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        var exitCode = await Cli.RunAsync(args, output, error, TestEnvironment.None, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(40));
        return new CliRun(exitCode, string.Join('\n', output.Lines), string.Join('\n', error.Lines));
    }
}
