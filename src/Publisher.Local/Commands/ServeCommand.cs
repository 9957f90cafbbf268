using System.CommandLine;
using CommandLineSupport;
using Momento.Topics.LocalServer;
using Publisher.Contracts;

namespace Publisher.Local.Commands;

/// <summary>The default command: run the whole service locally until Ctrl+C.</summary>
internal static class ServeCommand
{
    /// <summary>The explicit <c>serve</c> command, the same as no command.</summary>
    public static Command Create(Func<string, string?> environment)
    {
        var command = new Command("serve", "Run the service (the default): embedded Topics server + publish API.");
        Configure(command, environment);
        return command;
    }

    /// <summary>Adds serve's options and action to <paramref name="command"/> (the root, or <c>serve</c>).</summary>
    public static void Configure(Command command, Func<string, string?> environment)
    {
        var apiPort = CommandLineRunner.IntOption("--api-port", "port of the publish API on 127.0.0.1; 0 picks a free one", LocalServiceOptions.DefaultApiPort, 0, 65535);
        var topicsPort = CommandLineRunner.IntOption("--topics-port", "port of the embedded Topics server; 0 picks a free one", LocalServiceOptions.DefaultTopicsPort, 0, 65535);
        var cache = CommandLineRunner.TextOption("--cache", "the cache the embedded server declares", "NAME");
        cache.DefaultValueFactory = _ => LocalServiceOptions.DefaultCacheName;
        var apiKey = CommandLineRunner.TextOption(
            "--api-key", $"demand this x-api-key on every request, like the deployed API, and the same key on the embedded Topics server (visible in the process list: prefer --api-key-file or env {LocalService.ApiKeyVariable})", "KEY");
        apiKey.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } key && KeyProblem(key, "--api-key") is { } problem)
            {
                result.AddError(problem);
            }
        });
        var apiKeyFile = CommandLineRunner.TextOption("--api-key-file", "read the API key from this file (its first line), as --api-key", "PATH");
        apiKeyFile.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } path)
            {
                _ = ReadKeyFile(path, out var problem);
                if (problem is not null)
                {
                    result.AddError(problem);
                }
            }
        });
        var frontDoor = new Option<FrontDoor>("--front-door")
        {
            Description = "whose event shape the functions get: restApi (payload 1.0), httpApi or functionUrl (2.0), as that door sends it",
            HelpName = string.Join('|', FrontDoors.All.Select(d => d.Name)),
            DefaultValueFactory = _ => FrontDoor.RestApi,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                if (FrontDoors.Parse(text) is { } door)
                {
                    return door;
                }

                result.AddError($"--front-door must be {string.Join(", ", FrontDoors.All.Select(d => d.Name))}, not '{text}'.");
                return default;
            },
        };
        var replayBuffer = CommandLineRunner.OptionalIntOption(
            "--replay-buffer", $"items per topic the embedded Topics server keeps for resumes (default {LocalTopicsServerOptions.DefaultReplayBufferSize}; small values show gaps in the console)", 0, 1_000_000);
        command.Options.Add(apiPort);
        command.Options.Add(topicsPort);
        command.Options.Add(cache);
        command.Options.Add(apiKey);
        command.Options.Add(apiKeyFile);
        command.Options.Add(frontDoor);
        command.Options.Add(replayBuffer);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // --api-key, else --api-key-file, else the environment; the key itself is never printed.
            var (key, source) = parse.GetValue(apiKey) is { } given
                ? (given, "--api-key")
                : parse.GetValue(apiKeyFile) is { } file
                    ? (ReadKeyFile(file, out _), "--api-key-file")
                    : (environment(LocalService.ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim() : null, LocalService.ApiKeyVariable);
            if (key is not null && KeyProblem(key, source) is { } problem)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return CommandLineRunner.UsageError;
            }

            return await RunAsync(BuildOptions(parse, key), key is null ? null : source, parse.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
        });

        LocalServiceOptions BuildOptions(ParseResult parse, string? key) =>
            new()
            {
                ApiPort = parse.GetValue(apiPort),
                TopicsPort = parse.GetValue(topicsPort),
                CacheName = parse.GetValue(cache)!,
                ApiKey = key,
                FrontDoor = parse.GetValue(frontDoor),
                TopicsReplayBufferSize = parse.GetValue(replayBuffer),
                Environment = environment,
                Log = parse.InvocationConfiguration.Output,
            };
    }

    /// <summary>Why <paramref name="key"/> cannot be the API key (named as <paramref name="source"/>), or null.</summary>
    internal static string? KeyProblem(string key, string source) =>
        key.Length == 0 || key.Any(c => c is < ' ' or > '~')
            // Sent in headers, which carry printable ASCII (the service refuses other header bytes, a browser will not send them).
            ? $"{source} must be printable ASCII: it is sent in the x-api-key header (and to the Topics server in authorization), and it must not be empty."
            : null;

    private static string? ReadKeyFile(string path, out string? problem)
    {
        try
        {
            using var reader = new StreamReader(path);
            var key = reader.ReadLine()?.Trim() ?? string.Empty;
            problem = KeyProblem(key, $"The key in '{path}'");
            return problem is null ? key : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"--api-key-file: cannot read '{path}' ({e.Message}).";
            return null;
        }
    }

    private static string DoorShape(FrontDoor door) => door switch
    {
        FrontDoor.HttpApi => "payload 2.0 events with the matched route, as an HTTP API sends them",
        FrontDoor.FunctionUrl => "payload 2.0 events, routeKey $default, as function URLs send them",
        _ => "payload 1.0 proxy events, as the REST API sends them",
    };

    private static async Task<int> RunAsync(LocalServiceOptions options, string? keySource, TextWriter output, CancellationToken cancellationToken)
    {
        await using var service = await LocalService.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var api = service.ApiUrl.ToString().TrimEnd('/');
        await output.WriteLineAsync($"Publish API:   {api}  (POST /topics, POST /topics/{{topicName}}, POST /batch, GET|POST /verify)").ConfigureAwait(false);
        await output.WriteLineAsync($"Front door:    {options.FrontDoor.Name()}  ({DoorShape(options.FrontDoor)})").ConfigureAwait(false);
        await output.WriteLineAsync($"Topics server: {service.MomentoTarget}  (cache '{options.CacheName}'{(options.ApiKey is null || service.TopicsServer is null ? string.Empty : ", the same key in authorization")})").ConfigureAwait(false);
        if (keySource is not null)
        {
            // Where the key came from, never the key.
            await output.WriteLineAsync($"API key:       required (x-api-key), from {keySource}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Console:       {api}/  (open it in a browser: publish, watch topics live, see each invocation)").ConfigureAwait(false);
        await output.WriteLineAsync("Publish something:").ConfigureAwait(false);
        await output.WriteLineAsync("  " + service.SampleCurl(options.ApiKey)).ConfigureAwait(false);
        if (service.TopicsServer is not null)
        {
            await output.WriteLineAsync("Watch it arrive (another terminal):").ConfigureAwait(false);
            await output.WriteLineAsync(
                $"  {(options.ApiKey is null ? string.Empty : $"{LocalService.ApiKeyVariable}=<the key> ")}{Cli.Invocation} subscribe --topic my-topic --topics-port {service.TopicsServer.Port}").ConfigureAwait(false);
        }

        await output.WriteLineAsync("Ctrl+C stops.").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
