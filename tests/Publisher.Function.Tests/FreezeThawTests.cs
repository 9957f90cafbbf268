using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Functions.Common.Http;
using Grpc.Core;
using Grpc.Net.Client;
using Lambda.Runtime.Emulator;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// Lambda freezes an idle execution environment (as SIGSTOP does), and the connections it held may die meanwhile. Here the
/// Topics server (its own process) is killed and restarted on the same port while the function is frozen: the warm
/// connection's FIN waits in the function's socket when it thaws, with no GOAWAY to say which calls the server never saw.
/// </summary>
[Trait("Category", "Bootstrap")]
public sealed partial class FreezeThawTests
{
    /// <summary>Process start plus JIT of the init path; generous for a busy machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bootstrap_TopicsServerRestartedWhileFrozen_FirstInvocationAfterTheThawPublishes()
    {
        var server = await TopicsServerProcess.StartAsync(port: 0);
        try
        {
            await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
            await using var process = FunctionBootstrap.Publisher(typeof(FreezeThawTests).Assembly).Start(emulator, Environment(server.HostPort));
            await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);
            var warm = await emulator.InvokeAsync(Publish("warm"), TimeSpan.FromSeconds(10)).DefaultTimeout();
            Assert.Equal(200, ApiResult.Parse(warm.ResponseBody!).StatusCode);

            // The server dies (SIGKILL: the kernel's FIN only) or stops (SIGTERM: GOAWAY first); the event reaches the thawed
            // function with the dead connection's news already in its socket (queued while frozen, as when an invocation
            // thaws the environment), or just after. The first cycle matters most: on the JIT build the read loop's
            // end-of-stream path is not compiled yet, so the publish used to win the race and go out on the dead connection.
            (string Signal, bool QueuedWhileFrozen)[] cycles = [("KILL", true), ("KILL", false), ("TERM", true)];
            for (var cycle = 0; cycle < cycles.Length; cycle++)
            {
                var (signal, queuedWhileFrozen) = cycles[cycle];
                await IdleAsync(emulator, expectedNextRequests: cycle + 2);
                await SignalAsync(process.ProcessId, "STOP");
                await server.StopAsync(signal);
                server = await TopicsServerProcess.StartAsync(server.Port);
                using var subscriber = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort));
                await using var events = subscriber.SubscribeAsync(FunctionHost.CacheName, "thaw").GetAsyncEnumerator();
                Assert.True(await events.MoveNextAsync().AsTask().DefaultTimeout());
                Assert.IsType<TopicEvent.Heartbeat>(events.Current);

                var value = "thawed-" + cycle.ToString(CultureInfo.InvariantCulture);
                await ThawAndPublishAsync(emulator, process, value, queuedWhileFrozen, $"cycle {cycle} (SIG{signal})");
                do
                {
                    Assert.True(await events.MoveNextAsync().AsTask().DefaultTimeout());
                }
                while (events.Current is TopicEvent.Heartbeat);

                Assert.Equal(value, Assert.IsType<TopicEvent.TextItem>(events.Current).Value);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bootstrap_TlsConnectionCutWhileFrozen_FirstInvocationAfterTheThawPublishes()
    {
        // The production path: https with SNI and ALPN, the endpoint known in init (so init's early connection is the one
        // adopted), and trust narrowed to the endpoint's root as an operator may set it (SSL_CERT_DIR names no folder).
        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], Tls = true, HeartbeatInterval = TimeSpan.FromMilliseconds(100) }).DefaultTimeout();
        await using var relay = new GatedRelay(server.HostPort);
        using var channel = GrpcChannel.ForAddress(server.Endpoint, new GrpcChannelOptions { HttpHandler = LocalCaTrust.Handler(server.CaCertificatePath!) });
        using var subscription = new Pubsub.PubsubClient(channel).Subscribe(new _SubscriptionRequest { CacheName = FunctionHost.CacheName, Topic = "thaw" });
        Assert.True(await subscription.ResponseStream.MoveNext().DefaultTimeout());

        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        var environment = FunctionHost.ProductionEnvironment("Zr4-thaw-tls-key", "localhost:" + relay.HostPort.Split(':')[1], new Dictionary<string, string?>
        {
            ["SSL_CERT_FILE"] = server.CaCertificatePath,
            ["SSL_CERT_DIR"] = server.CaCertificatePath + ".no-other-roots",
        });
        await using var process = FunctionBootstrap.Publisher(typeof(FreezeThawTests).Assembly).Start(emulator, environment);
        await emulator.FirstNextRequestAsync.WaitAsync(StartTimeout);
        var warm = await emulator.InvokeAsync(Publish("warm"), TimeSpan.FromSeconds(10)).DefaultTimeout();
        Assert.True(ApiResult.Parse(warm.ResponseBody!).StatusCode == 200, warm.ResponseBody + "\n" + string.Join('\n', process.StdoutLines));
        Assert.Equal("warm", await NextItemAsync(subscription));

        bool[] queuedWhileFrozen = [true, false];
        for (var cycle = 0; cycle < queuedWhileFrozen.Length; cycle++)
        {
            await IdleAsync(emulator, expectedNextRequests: cycle + 2);
            await SignalAsync(process.ProcessId, "STOP");
            relay.DropAll(); // as a load balancer's cut: the FIN waits in the frozen function's socket
            var value = "thawed-tls-" + cycle.ToString(CultureInfo.InvariantCulture);
            await ThawAndPublishAsync(emulator, process, value, queuedWhileFrozen[cycle], $"cycle {cycle}");
            Assert.Equal(value, await NextItemAsync(subscription));
        }

        // One connection for init and the warm call (init's early connection, adopted), then one new per cut.
        Assert.Equal(1 + queuedWhileFrozen.Length, relay.Accepted);
    }

    /// <summary>
    /// Thaws the frozen function with an event queued before the SIGCONT, or sent just after it, and asserts that the
    /// invocation published <paramref name="value"/>.
    /// </summary>
    private static async Task ThawAndPublishAsync(RuntimeApiEmulator emulator, BootstrapProcess process, string value, bool queuedWhileFrozen, string what)
    {
        Task<InvocationResult> invocation;
        if (queuedWhileFrozen)
        {
            invocation = emulator.InvokeAsync(Publish(value), TimeSpan.FromSeconds(10));
            await SignalAsync(process.ProcessId, "CONT");
        }
        else
        {
            await SignalAsync(process.ProcessId, "CONT");
            invocation = emulator.InvokeAsync(Publish(value), TimeSpan.FromSeconds(10));
        }

        var result = await invocation.DefaultTimeout();
        var output = string.Join('\n', process.StdoutLines.Concat(process.StderrLines));
        Assert.False(result.IsError || result.TimedOut, $"{what}: {result.ErrorType}: {result.ErrorMessage}\n{output}");
        Assert.True(ApiResult.Parse(result.ResponseBody!).StatusCode == 200, $"{what}: {result.ResponseBody}\n{output}");
    }

    private static async Task<string> NextItemAsync(AsyncServerStreamingCall<_SubscriptionItem> subscription)
    {
        do
        {
            Assert.True(await subscription.ResponseStream.MoveNext().DefaultTimeout());
        }
        while (subscription.ResponseStream.Current.KindCase == _SubscriptionItem.KindOneofCase.Heartbeat);

        return subscription.ResponseStream.Current.Item.Value.Text;
    }

    private static string Publish(string value) =>
        TestEvents.PostJson(EventShape.RestApiV1, "/topics", $$"""{"topicName":"thaw","topicValue":"{{value}}"}""");

    private static Dictionary<string, string?> Environment(string hostPort)
    {
        var environment = FunctionHost.LocalSettings(hostPort);
        // Only the given key source: nothing inherited from the machine running the tests.
        environment.TryAdd("MOMENTO_API_KEY", null);
        environment.TryAdd("MOMENTO_API_KEY_SECRET_ID", null);
        environment.TryAdd("MOMENTO_ENDPOINT", null);
        environment.TryAdd("AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE", null);
        return environment;
    }

    /// <summary>Waits until the function has asked for its next event: it is idle, as Lambda freezes it.</summary>
    private static async Task IdleAsync(RuntimeApiEmulator emulator, int expectedNextRequests)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (emulator.NextRequestCount < expectedNextRequests)
        {
            Assert.True(DateTime.UtcNow < deadline, "The function did not ask for its next event.");
            await Task.Delay(5);
        }
    }

    /// <summary>Sends a signal (STOP, CONT, KILL, TERM) with the system's kill(1).</summary>
    private static async Task SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync().DefaultTimeout();
        Assert.Equal(0, kill.ExitCode);
    }

    [GeneratedRegex(@"listening on (?<url>http://\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>The standalone local Topics server (src/Momento.Topics.LocalServer, next to the test assembly) as its own process.</summary>
    private sealed class TopicsServerProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private TopicsServerProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string HostPort => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

        public static async Task<TopicsServerProcess> StartAsync(int port)
        {
            var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Momento.Topics.LocalServer.dll"));
            start.ArgumentList.Add("--port=" + port.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("--cache=" + FunctionHost.CacheName);
            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var line = await process.StandardOutput.ReadLineAsync().DefaultTimeout();
            var match = ListeningLine().Match(line ?? string.Empty);
            Assert.True(match.Success, $"The Topics server printed '{line}'.");
            return new TopicsServerProcess(process, new Uri(match.Groups["url"].Value).Port);
        }

        /// <summary>Stops it with <paramref name="signal"/> and waits until it is gone.</summary>
        public async Task StopAsync(string signal)
        {
            await SignalAsync(_process.Id, signal);
            await _process.WaitForExitAsync().DefaultTimeout();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().DefaultTimeout();
            }

            _process.Dispose();
        }
    }
}
