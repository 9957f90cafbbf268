using System.CommandLine;
using CommandLineSupport;
using Publisher.Local.Commands;

namespace Publisher.Local;

/// <summary>The local runner's command line: serve (default), subscribe, invoke.</summary>
public static class Cli
{
    /// <summary>How the runner is started from a clone, as its help shows it.</summary>
    public const string Invocation = "dotnet run --project src/Publisher.Local --";

    /// <summary>Runs a command; returns the process exit code (2 for usage errors).</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand("""
            The publisher on this machine: an embedded Momento-compatible Topics server and the publish API on
            127.0.0.1, running the Lambda handlers in-process. Without a command it serves until Ctrl+C.
            With MOMENTO_API_KEY (and MOMENTO_ENDPOINT for v2 keys) set, it publishes to Momento instead.
            """);
        root.HelpName = Invocation;
        ServeCommand.Configure(root, environment);
        root.Subcommands.Add(ServeCommand.Create(environment));
        root.Subcommands.Add(SubscribeCommand.Create(environment));
        root.Subcommands.Add(InvokeCommand.Create(environment));
        root.Subcommands.Add(MovedVerifyCommand());
        // `help` as a command, as the runner always took it.
        var help = new Command("help", "Show help.") { Hidden = true };
        help.SetAction(parse => root.Parse(["--help"]).Invoke(parse.InvocationConfiguration));
        root.Subcommands.Add(help);
        try
        {
            return await CommandLineRunner.InvokeAsync(root, args, output, error, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await error.WriteLineAsync(e.Message + " Stop whatever uses it, or pick another port with --api-port / --topics-port.").ConfigureAwait(false);
            return 1;
        }
        catch (Functions.Common.Configuration.ConfigurationException e)
        {
            await error.WriteLineAsync("Configuration error: " + e.Message).ConfigureAwait(false);
            return CommandLineRunner.UsageError;
        }
    }

    // `verify` checks deployments and lives in its own tool now; an old command line gets pointed there.
    private static Command MovedVerifyCommand()
    {
        var command = new Command("verify", "Moved to the deployment checker.") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, _) =>
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                "verify moved to the deployment checker: dotnet run --project src/Publisher.DeploymentCheck -- verify --url URL ...").ConfigureAwait(false);
            return CommandLineRunner.UsageError;
        });
        return command;
    }
}
