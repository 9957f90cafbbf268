using Publisher.Local.Commands;

namespace Publisher.Local;

/// <summary>The local runner's commands: serve (default), subscribe, invoke, verify.</summary>
public static class Cli
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        Usage: dotnet run --project src/Publisher.Local -- [command] [options]

          (no command)  Run the service: embedded Topics server + publish API.
                        --api-port N (3000)  --topics-port N (8080)  --cache NAME (default-cache)  --api-key KEY
                        With MOMENTO_API_KEY (and MOMENTO_ENDPOINT for v2 keys) set, publishes to Momento instead.
          subscribe     Print each event of a subscription as it arrives.
                        --topic NAME (required)  --topics-port N (8080)  --cache NAME  --no-heartbeats
          invoke        Run a handler once on an event file and print its response, like `sam local invoke`.
                        --event FILE (required)  --function publisher|subscriber (from the event's path)
                        --topics-port N (publish to a running local server; default: an embedded one)
          verify        Check a deployment end to end through its public API.
                        --url URL (required)  --api-key KEY | --iam [--region R]  --topic NAME  --timeout-seconds N (20)
        """;

    /// <summary>Runs a command; returns the process exit code (2 for usage errors).</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var command = args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "serve";
        var rest = command == "serve" && (args.Count == 0 || args[0] != "serve") ? args : args.Skip(1).ToList();
        try
        {
            if (rest.Contains("--help") || rest.Contains("-h") || command is "help")
            {
                await output.WriteLineAsync(Usage).ConfigureAwait(false);
                return 0;
            }

            return command switch
            {
                "serve" => await ServeCommand.RunAsync(CommandLine.Parse(rest, new HashSet<string>()), output, cancellationToken).ConfigureAwait(false),
                "subscribe" => await SubscribeCommand.RunAsync(CommandLine.Parse(rest, new HashSet<string> { "no-heartbeats" }), output, environment, cancellationToken).ConfigureAwait(false),
                "invoke" => await InvokeCommand.RunAsync(CommandLine.Parse(rest, new HashSet<string>()), output, error, environment, cancellationToken).ConfigureAwait(false),
                "verify" => await VerifyCommand.RunAsync(CommandLine.Parse(rest, new HashSet<string> { "iam" }), output, environment, cancellationToken).ConfigureAwait(false),
                _ => throw new UsageException($"Unknown command '{command}'."),
            };
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await error.WriteLineAsync(e.Message + " Stop whatever uses it, or pick another port with --api-port / --topics-port.").ConfigureAwait(false);
            return 1;
        }
        catch (Functions.Common.Configuration.ConfigurationException e)
        {
            await error.WriteLineAsync("Configuration error: " + e.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
