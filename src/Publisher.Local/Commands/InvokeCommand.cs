using System.Globalization;
using System.Text;
using System.Text.Json;
using Functions.Common.Configuration;

namespace Publisher.Local.Commands;

/// <summary><c>invoke --event FILE</c>: runs a handler once on an event file and prints its response, like <c>sam local invoke</c>.</summary>
internal static class InvokeCommand
{
    public static async Task<int> RunAsync(CommandLine args, TextWriter output, TextWriter log, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var file = args.Required("event");
        var function = args.Option("function");
        int? topicsPort = args.Option("topics-port") is null ? null : args.Int("topics-port", LocalServiceOptions.DefaultTopicsPort, 1, 65535);
        args.RejectUnknown();
        if (function is not null and not "publisher" and not "subscriber")
        {
            throw new UsageException("--function must be publisher or subscriber.");
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"The event file '{file}' does not exist.");
        }

        var payload = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        var toSubscriber = function is null ? TargetsVerify(payload) : function == "subscriber";

        // With --topics-port the handler publishes to a running local server (so `subscribe` shows it);
        // without it an embedded server on a free port makes the run self-contained.
        Func<string, string?> env = topicsPort is null
            ? environment
            : name => name == EnvironmentVariables.LocalEndpoint ? "127.0.0.1:" + topicsPort.Value.ToString(CultureInfo.InvariantCulture) : environment(name);
        await using var service = await LocalService.StartAsync(
            new LocalServiceOptions { ApiPort = 0, TopicsPort = 0, Environment = env, Log = log },
            cancellationToken).ConfigureAwait(false);
        var response = await service.InvokeAsync(payload, toSubscriber, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(Encoding.UTF8.GetString(response.Span)).ConfigureAwait(false);
        return 0;
    }

    private static bool TargetsVerify(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            string? path = null;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String)
                {
                    path = p.GetString();
                }
                else if (root.TryGetProperty("rawPath", out var raw) && raw.ValueKind == JsonValueKind.String)
                {
                    path = raw.GetString();
                }
                else if (!root.TryGetProperty("httpMethod", out _) && !root.TryGetProperty("version", out _))
                {
                    // A direct invocation payload ({"topic": ...}) is for the subscriber.
                    return root.TryGetProperty("topic", out _);
                }
            }

            return path is not null && path.TrimEnd('/').EndsWith("/verify", StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
