using System.CommandLine;
using System.Globalization;
using System.Text;
using CommandLineSupport;
using Publisher.Contracts;

namespace Publisher.Local.Commands;

/// <summary><c>invoke --event FILE</c>: runs a handler once on an event file and prints its response, like <c>sam local invoke</c>.</summary>
internal static class InvokeCommand
{
    /// <summary>Exit code when the event cannot be invoked (not JSON, not an event either function takes) or the handler failed.</summary>
    public const int InvocationFailed = 1;

    /// <summary>Lambda's limit for a synchronous invocation's request payload (6 MB).</summary>
    internal const int MaxEventBytes = 6 * 1024 * 1024;

    /// <summary>The <c>--event</c> value that reads the event from standard input, as <c>sam local invoke</c> takes it.</summary>
    private const string StandardInput = "-";

    private const string Publisher = "publisher";
    private const string Subscriber = "subscriber";

    public static Command Create(Func<string, string?> environment)
    {
        var eventFile = new Option<string>("--event") { Description = "the event JSON file, or - to read it from standard input", HelpName = "FILE", Required = true };
        eventFile.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value != StandardInput && !File.Exists(value))
            {
                result.AddError($"File does not exist: '{value}'.");
            }
        });
        var function = new Option<string>("--function") { Description = "the handler (default: from the event's path)", HelpName = "NAME" };
        function.AcceptOnlyFromAmong(Publisher, Subscriber);
        var topicsPort = CommandLineRunner.OptionalIntOption("--topics-port", "publish to a local Topics server on this port (default: an embedded one)", 1, 65535);
        var command = new Command("invoke", "Run a handler once on an event file and print its response, like `sam local invoke`.")
        {
            eventFile, function, topicsPort,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(eventFile)!,
            parse.GetValue(function),
            parse.GetValue(topicsPort),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            environment,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string source, string? function, int? topicsPort, TextWriter output, TextWriter log, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var file = source == StandardInput ? "(standard input)" : source;
        byte[]? payload;
        try
        {
            await using var stream = source == StandardInput ? Console.OpenStandardInput() : File.OpenRead(source);
            payload = await ReadBoundedAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await log.WriteLineAsync($"Cannot read the event file '{file}': {e.Message}").ConfigureAwait(false);
            return InvocationFailed;
        }

        if (payload is null)
        {
            await log.WriteLineAsync(
                $"The event file '{file}' is larger than {MaxEventBytes} bytes, Lambda's limit for a synchronous invocation's payload; " +
                "Lambda refuses it (RequestEntityTooLargeException) before any handler runs.").ConfigureAwait(false);
            return InvocationFailed;
        }

        var kind = EventKinds.Classify(payload);
        var toSubscriber = function is null ? kind.ForSubscriber : function == Subscriber;
        if (kind.Problem(file, toSubscriber) is { } problem)
        {
            await log.WriteLineAsync(problem).ConfigureAwait(false);
            return InvocationFailed;
        }

        // With --topics-port the handler publishes to a running local server (so `subscribe` shows it);
        // without it an embedded server on a free port makes the run self-contained.
        var env = topicsPort is null
            ? environment
            : name => name == EnvironmentVariables.LocalEndpoint ? "127.0.0.1:" + topicsPort.Value.ToString(CultureInfo.InvariantCulture) : environment(name);
        await using var service = await LocalService.StartAsync(
            new LocalServiceOptions { ApiPort = 0, TopicsPort = 0, Environment = env, Log = log },
            cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<byte> response;
        try
        {
            response = await service.InvokeAsync(payload, toSubscriber, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Lambda would answer an unhandled error with {errorType, errorMessage}; say so without a stack dump.
            await log.WriteLineAsync(
                $"The {(toSubscriber ? Subscriber : Publisher)} handler failed on '{file}' with an unhandled {e.GetType().Name}: {e.Message} " +
                "(Lambda would report it as an Unhandled function error).").ConfigureAwait(false);
            return InvocationFailed;
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(response.Span)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The stream's bytes, or null when it holds more than <see cref="MaxEventBytes"/>: never more than that is read.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxEventBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
