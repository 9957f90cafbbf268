using System.CommandLine;
using System.Globalization;
using System.Text;
using CommandLineSupport;
using Functions.Common.Configuration;

namespace Publisher.Local.Commands;

/// <summary><c>invoke --event FILE</c>: runs a handler once on an event file and prints its response, like <c>sam local invoke</c>.</summary>
internal static class InvokeCommand
{
    /// <summary>Exit code when the event cannot be invoked (not JSON, not an event either function takes) or the handler failed.</summary>
    public const int InvocationFailed = 1;

    private const string Publisher = "publisher";
    private const string Subscriber = "subscriber";

    public static Command Create(Func<string, string?> environment)
    {
        var eventFile = new Option<FileInfo>("--event") { Description = "the event JSON file", HelpName = "FILE", Required = true }.AcceptExistingOnly();
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
        FileInfo file, string? function, int? topicsPort, TextWriter output, TextWriter log, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        byte[] payload;
        try
        {
            payload = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await log.WriteLineAsync($"Cannot read the event file '{file}': {e.Message}").ConfigureAwait(false);
            return InvocationFailed;
        }

        var kind = EventKinds.Classify(payload);
        var toSubscriber = function is null ? kind.ForSubscriber : function == Subscriber;
        if (kind.Problem(file.ToString(), toSubscriber) is { } problem)
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
}
