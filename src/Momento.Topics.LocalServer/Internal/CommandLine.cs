using System.Globalization;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>Parses the standalone program's arguments.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Momento Topics local server: a Momento-compatible Topics gRPC server (plaintext HTTP/2).

        Usage:
          dotnet run --project src/Momento.Topics.LocalServer -- [options]

        Options:
          --port N          TCP port to listen on; 0 picks a free one (default 8080)
          --host ADDRESS    IP address or 'localhost' to listen on (default 127.0.0.1)
          --cache NAME      a cache that exists; repeat for more (default: default-cache)
          --api-key KEY     require this 'authorization' header (default: accept any, empty included)
          --heartbeat-ms N  milliseconds between subscription heartbeats (default 1000)
          --replay-buffer N items kept per topic to serve resumes; 0 disables replay (default 1024)
          --subscriber-queue N
                            items queued per subscriber before it loses items and gets a
                            discontinuity (default 1024)
          --help            show this text

        Prints one line with the address it listens on and its caches, then runs until Ctrl+C or SIGTERM.

        Fault-injection request headers (as the official momento-local emulator):
          return-error                 gRPC status to fail with, kebab-case: unavailable, not-found,
                                       resource-exhausted, internal, unauthenticated, permission-denied,
                                       deadline-exceeded, invalid-argument, cancelled, unknown, ...
          error-rpcs                   RPCs it applies to: topic-publish, topic-subscribe, ping
                                       (space or comma separated; default all)
          error-count                  fail at most N calls (default: every call)
          retry-disposition            this server's addition: 'retryable' or 'possibly_retryable',
                                       returned in the error's 'retry_disposition' trailer
          delay-rpcs, delay-ms, delay-count
                                       delay the listed RPCs (default all) by delay-ms, at most
                                       delay-count times (default: every call)
          stream-error-rpcs, stream-error, stream-error-message-limit
                                       fail a subscription with status stream-error after it sent N
                                       items and discontinuities (heartbeats are not counted;
                                       0 = right after the first heartbeat); never between a
                                       discontinuity and the item after it
          request-id                   optional; separates the error/delay counters of test runs
        Counts are kept per distinct set of header values. A bad header value gives INVALID_ARGUMENT.

        Exit codes: 0 after a clean stop, 1 when the server cannot start, 2 on bad arguments.
        """;

    /// <summary>Returns the options, or sets <paramref name="error"/>, or sets <paramref name="help"/>.</summary>
    public static LocalTopicsServerOptions? Parse(IReadOnlyList<string> args, out bool help, out string? error)
    {
        help = false;
        error = null;
        var options = new LocalTopicsServerOptions();
        var caches = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                help = true;
                return null;
            }
            if (arg is not ("--port" or "--host" or "--cache" or "--api-key" or "--heartbeat-ms" or "--replay-buffer" or "--subscriber-queue"))
            {
                error = $"unknown argument '{arg}'";
                return null;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{arg} needs a value";
                return null;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                    {
                        error = $"--port must be a number from 0 to 65535, not '{value}'";
                        return null;
                    }
                    options = options with { Port = port };
                    break;
                case "--host":
                    if (value != "localhost" && !System.Net.IPAddress.TryParse(value.Trim('[', ']'), out _))
                    {
                        error = $"--host must be an IP address or 'localhost', not '{value}'";
                        return null;
                    }
                    options = options with { Host = value };
                    break;
                case "--cache":
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        error = "--cache needs a non-blank name";
                        return null;
                    }
                    caches.Add(value);
                    break;
                case "--api-key":
                    // The key itself is never echoed.
                    options = options with { RequiredApiKey = value };
                    break;
                case "--replay-buffer":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replay))
                    {
                        error = $"--replay-buffer must be a number of items (0 or more), not '{value}'";
                        return null;
                    }
                    options = options with { ReplayBufferSize = replay };
                    break;
                case "--subscriber-queue":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var queue) || queue < 1)
                    {
                        error = $"--subscriber-queue must be a positive number of items, not '{value}'";
                        return null;
                    }
                    options = options with { SubscriberQueueCapacity = queue };
                    break;
                default: // --heartbeat-ms
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms < 1)
                    {
                        error = $"--heartbeat-ms must be a positive number of milliseconds, not '{value}'";
                        return null;
                    }
                    options = options with { HeartbeatInterval = TimeSpan.FromMilliseconds(ms) };
                    break;
            }
        }
        if (caches.Count > 0)
        {
            options = options with { Caches = caches };
        }
        return options;
    }
}
