using System.CommandLine;
using CommandLineSupport;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>The standalone program's command line (System.CommandLine) and what it runs.</summary>
internal static class CommandLine
{
    /// <summary>How the program is started from a clone, as the help's usage line shows it.</summary>
    public const string Invocation = "dotnet run --project src/Momento.Topics.LocalServer --";

    private const string Description = """
        Momento Topics local server: a Momento-compatible Topics gRPC server (HTTP/2, plaintext or with --tls).
        Prints one line with the address it listens on and its caches, then runs until Ctrl+C or SIGTERM.
        """;

    private const string FaultHeaders = """
        Fault-injection request headers (as the official momento-local emulator):
          return-error                 gRPC status to fail with, kebab-case: unavailable, not-found,
                                       resource-exhausted, internal, unauthenticated, permission-denied,
                                       deadline-exceeded, invalid-argument, cancelled, unknown, ...
          error-rpcs                   RPCs it applies to: topic-publish, topic-subscribe, ping,
                                       get, set, set-if (SetIf and SetIfNotExists), delete
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
                                       0 = right after the first heartbeat)
          request-id                   optional; separates the error/delay counters of test runs
        Counts are kept per distinct set of header values. A bad header value gives INVALID_ARGUMENT.

        Exit codes: 0 after a clean stop, 1 when the server cannot start, 2 on bad arguments.
        """;

    /// <summary>The root command: options, help (with the fault-injection headers) and the action that runs the server.</summary>
    public static RootCommand Create()
    {
        var port = CommandLineRunner.IntOption("--port", "TCP port to listen on; 0 picks a free one", LocalTopicsServerOptions.DefaultPort, 0, 65535);
        var host = new Option<string>("--host")
        {
            Description = "IP address or 'localhost' to listen on",
            HelpName = "ADDRESS",
            DefaultValueFactory = _ => LocalTopicsServerOptions.DefaultHost,
        };
        host.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value != "localhost" && !System.Net.IPAddress.TryParse(value.Trim('[', ']'), out _))
            {
                result.AddError($"--host must be an IP address or 'localhost', not '{value}'.");
            }
        });
        var caches = new Option<string[]>("--cache")
        {
            Description = $"a cache that exists; repeat for more (default: {LocalTopicsServerOptions.DefaultCache})",
            HelpName = "NAME",
        };
        caches.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string[]>().Any(string.IsNullOrWhiteSpace))
            {
                result.AddError("--cache needs a non-blank name.");
            }
        });
        var apiKey = CommandLineRunner.TextOption("--api-key", "require this 'authorization' header (default: accept any, empty included)", "KEY");
        var heartbeatMs = CommandLineRunner.IntOption("--heartbeat-ms", "milliseconds between subscription heartbeats", 1000, 1, int.MaxValue);
        var replayBuffer = CommandLineRunner.IntOption(
            "--replay-buffer", "items kept per topic to serve resumes; 0 disables replay", LocalTopicsServerOptions.DefaultReplayBufferSize, 0, int.MaxValue);
        var subscriberQueue = CommandLineRunner.IntOption(
            "--subscriber-queue",
            "items queued per subscriber before it loses items and gets a discontinuity",
            LocalTopicsServerOptions.DefaultSubscriberQueueCapacity,
            1,
            int.MaxValue);

        var tls = new Option<bool>("--tls")
        {
            Description = "serve HTTP/2 over TLS (ALPN h2) with a certificate for localhost and cache.localhost from a throwaway CA made at start; " +
                "the line printed names the CA's PEM file for clients to trust (SSL_CERT_FILE) and the endpoint to give them",
        };
        var tlsCaFile = CommandLineRunner.TextOption("--tls-ca-file", "with --tls: write the CA certificate here (default: a temporary file, deleted on exit)", "PATH");
        var root = new RootCommand(Description) { port, host, caches, apiKey, heartbeatMs, replayBuffer, subscriberQueue, tls, tlsCaFile };
        root.Validators.Add(result =>
        {
            if (result.GetValue(tlsCaFile) is not null && !result.GetValue(tls))
            {
                result.AddError("--tls-ca-file is for the TLS mode: add --tls.");
            }

            if (result.GetValue(tls) && result.GetValue(host) is { } address && !LocalTopicsServerOptions.ServesTheLoopback(address))
            {
                result.AddError($"--tls: the certificate covers only this machine's loopback names, so --host must be 127.0.0.1, ::1, localhost or a wildcard address, not '{address}'.");
            }
        });
        root.HelpName = Invocation;
        CommandLineRunner.AppendToHelp(root, FaultHeaders);
        root.SetAction((parse, cancellationToken) =>
        {
            var options = new LocalTopicsServerOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                // The key itself is never echoed.
                RequiredApiKey = parse.GetValue(apiKey),
                HeartbeatInterval = TimeSpan.FromMilliseconds(parse.GetValue(heartbeatMs)),
                ReplayBufferSize = parse.GetValue(replayBuffer),
                SubscriberQueueCapacity = parse.GetValue(subscriberQueue),
                Tls = parse.GetValue(tls),
                TlsCaCertificatePath = parse.GetValue(tlsCaFile),
            };
            if (parse.GetValue(caches) is { Length: > 0 } names)
            {
                options = options with { Caches = names };
            }
            return RunAsync(options, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return root;
    }

    private static async Task<int> RunAsync(LocalTopicsServerOptions options, TextWriter output, TextWriter error, CancellationToken stop)
    {
        LocalTopicsServer server;
        try
        {
            server = await LocalTopicsServer.StartAsync(options, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            await error.WriteLineAsync($"error: cannot listen on {options.Host}:{options.Port}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            var auth = options.RequiredApiKey is null ? "any authorization accepted" : "API key required";
            var tls = server.CaCertificatePath is { } ca ? $"; TLS: trust {ca} (SSL_CERT_FILE), Momento endpoint {server.MomentoEndpoint}" : string.Empty;
            await output.WriteLineAsync($"Momento Topics local server listening on {server.Endpoint.ToString().TrimEnd('/')} (caches: {string.Join(", ", options.Caches)}; {auth}{tls})").ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM.
            }
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return 0;
    }
}
