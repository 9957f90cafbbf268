using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>
/// Suite 8: one execution environment taking many invocations at once, as on Lambda Managed Instances: the AOT
/// bootstrap with <c>AWS_LAMBDA_MAX_CONCURRENCY</c> = C, kept busy by C callers, for each C. Throughput, latency, memory,
/// CPU, and the connections it opened to the Topics server (one, whatever C: HTTP/2 multiplexes the publishes).
/// </summary>
internal sealed class ConcurrencySuite : ISuite
{
    private const string Value = "concurrency suite value of 48 bytes, same each.";

    public string Name => "concurrency";

    public bool NeedsBootstrap => true;

    /// <summary>
    /// Where the function reaches the Topics server: over loopback, where each invocation is all CPU, and through the
    /// network model's delaying proxy at a cross-region round trip, where the invocations in flight hide it.
    /// </summary>
    internal static IReadOnlyList<NetworkPath> Paths { get; } = [NetworkPath.Loopback, NetworkPath.Delayed(20)];

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var build = context.AotOrJit;
        var seconds = sizes.ConcurrencyDuration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
        var result = new SuiteResult(
            Name,
            "Many invocations per environment",
            $"One {build.Label} `bootstrap` process per concurrency C (AWS_LAMBDA_MAX_CONCURRENCY = C, as on Lambda Managed Instances) with its " +
            $"own local Topics server, all started and warmed up first; then C callers invoke it back to back through the lean Runtime API, {seconds} s " +
            $"per C in all, in {sizes.ConcurrencyRounds} windows that take the concurrencies in rotating order (so a busy spell of the machine falls on " +
            $"all of them), each invocation a {Value.Length}-byte text publish. Throughput = invocations answered / time; latency = a caller's wait (event queued → response); CPU = user + " +
            "system time per invocation of the function's process, and of this process (callers, Runtime API, Topics server); ceiling = the machine's " +
            "cores / the two CPU times together: the throughput at which the cores would be busy; connections = TCP connections the function " +
            "opened to the Topics server (must be 1).");
        if (context.Aot is null)
        {
            result.Notes.Add("Ran the non-AOT build: no AOT bootstrap in this run.");
        }

        var publish = context.Events.PublishText("concurrency", Value);
        var table = new TextTable(
            "path", "C", "invocations", "invocations/s", "vs C=1", "p50 ms", "p99 ms", "peak RSS MiB", "CPU ms/inv. function", "CPU ms/inv. harness", "ceiling/s", "connections");
        var levels = new List<Level>();
        foreach (var path in Paths)
        {
            var measured = await MeasurePathAsync(context, build, path, publish, cancellationToken).ConfigureAwait(false);
            levels.AddRange(measured);
            foreach (var level in measured)
            {
                table.AddRow(
                    path.Label,
                    Format.Int(level.Concurrency),
                    Format.Count(level.Invocations),
                    Format.Rate(level.PerSecond),
                    Format.Ratio(level.PerSecond / measured[0].PerSecond),
                    Format.Ms(level.Latency.Median),
                    Format.Ms(level.Latency.Percentile(99)),
                    Format.MiB(level.PeakRssBytes),
                    Format.Ms(level.CpuMsPerInvocation),
                    Format.Ms(level.HarnessCpuMsPerInvocation),
                    Format.Rate(level.CeilingPerSecond),
                    Format.Int(level.Connections));
            }
        }

        result.Tables.Add(table);
        result.Charts.Add(Charts.Concurrency([.. levels.Select(l => (l.Path, l.Concurrency, l.PerSecond, l.CeilingPerSecond, l.Latency.Median, l.Latency.Percentile(99)))]));
        foreach (var group in levels.GroupBy(l => l.Path))
        {
            var one = group.First();
            foreach (var level in group.Skip(1))
            {
                result.AddRatio($"{group.Key}: throughput at C={level.Concurrency} / C={one.Concurrency}", level.PerSecond, one.PerSecond, "what one environment gains from taking invocations at once");
            }

            var best = group.MaxBy(l => l.CeilingPerSecond)!;
            result.AddRatio($"{group.Key}: CPU ceiling / C={one.Concurrency} throughput", best.CeilingPerSecond, one.PerSecond, "the most concurrency could gain on this machine: its cores / the CPU one invocation costs the function, the callers, the Runtime API and the Topics server");
            var leanest = group.MinBy(l => l.CpuMsPerInvocation)!;
            result.AddRatio(
                $"{group.Key}: the function's own CPU ceiling / C={one.Concurrency} throughput",
                Environment.ProcessorCount * 1000.0 / leanest.CpuMsPerInvocation,
                one.PerSecond,
                "the same if the function had the cores to itself, as an execution environment has its vCPUs (the Runtime API and Momento run elsewhere)");
            var last = group.Last();
            result.AddRatio($"{group.Key}: p50 latency at C={last.Concurrency} / C={one.Concurrency}", last.Latency.Median, one.Latency.Median, "what a caller waits more when the environment is that busy");
            result.AddRatio($"{group.Key}: peak RSS at C={last.Concurrency} / C={one.Concurrency}", last.PeakRssBytes, one.PeakRssBytes, "the memory concurrency costs");
        }

        result.Metrics["bootstrap"] = build.Label;
        result.Metrics["levels"] = new JsonArray([.. levels.Select(l => (JsonNode)new JsonObject
        {
            ["path"] = l.Path,
            ["concurrency"] = l.Concurrency,
            ["invocations"] = l.Invocations,
            ["perSecond"] = l.PerSecond,
            ["p50Ms"] = l.Latency.Median,
            ["p99Ms"] = l.Latency.Percentile(99),
            ["peakRssBytes"] = l.PeakRssBytes,
            ["cpuMsPerInvocation"] = l.CpuMsPerInvocation,
            ["harnessCpuMsPerInvocation"] = l.HarnessCpuMsPerInvocation,
            ["ceilingPerSecond"] = l.CeilingPerSecond,
            ["connections"] = l.Connections,
        })]);
        if (levels.FirstOrDefault(l => l.Connections != 1) is { } extra)
        {
            result.Failure = $"At C={extra.Concurrency} ({extra.Path}) the function opened {extra.Connections} connections to the Topics server; it must keep one.";
        }

        return result;
    }

    // Every concurrency's process (each with its own Topics server, so its connections are its own) is started and warmed
    // up, then the measuring windows rotate over them.
    private static async Task<IReadOnlyList<Level>> MeasurePathAsync(
        BenchContext context, BootstrapBuild build, NetworkPath path, string publish, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var environments = new List<ExecutionEnvironment>();
        try
        {
            foreach (var concurrency in sizes.ConcurrencyLevels)
            {
                context.Status.Report(path.Label + " environments started", environments.Count, sizes.ConcurrencyLevels.Count);
                environments.Add(await ExecutionEnvironment.StartAsync(build, path, concurrency, cancellationToken).ConfigureAwait(false));
            }

            foreach (var environment in environments)
            {
                await RunCallersAsync(environment.Bootstrap, publish, environment.Concurrency, sizes.ConcurrencyWarmUp, latency: null, cancellationToken).ConfigureAwait(false);
            }

            var window = sizes.ConcurrencyDuration / sizes.ConcurrencyRounds;
            for (var round = 0; round < sizes.ConcurrencyRounds; round++)
            {
                context.Status.Report(path.Label + " rounds", round, sizes.ConcurrencyRounds);
                for (var k = 0; k < environments.Count; k++)
                {
                    await environments[(round + k) % environments.Count].MeasureWindowAsync(publish, window, cancellationToken).ConfigureAwait(false);
                }
            }

            context.Status.Report(path.Label + " rounds", sizes.ConcurrencyRounds, sizes.ConcurrencyRounds);
            return [.. environments.Select(e => e.ToLevel(path.Label))];
        }
        finally
        {
            foreach (var environment in environments)
            {
                await environment.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // C callers, each invoking back to back until the time is up; returns the invocations answered.
    private static async Task<int> RunCallersAsync(
        RunningBootstrap bootstrap, string publish, int callers, TimeSpan duration, Samples? latency, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(
            async () =>
            {
                var own = new List<double>();
                while (Stopwatch.GetTimestamp() < until)
                {
                    var start = Stopwatch.GetTimestamp();
                    await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
                    own.Add(Samples.ElapsedMs(start, Stopwatch.GetTimestamp()));
                }

                return own;
            },
            cancellationToken))).ConfigureAwait(false);
        latency?.AddRange(perCaller.SelectMany(own => own));
        return perCaller.Sum(own => own.Count);
    }

    /// <summary>User plus system CPU time of a process so far (/proc/{pid}/stat fields 14 and 15, in clock ticks of 10 ms).</summary>
    private static TimeSpan ProcessCpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10.0);
    }

    /// <summary>One execution environment at one concurrency, and what its measuring windows added up to.</summary>
    private sealed class ExecutionEnvironment : IAsyncDisposable
    {
        private readonly LocalTopicsServer _server;
        private readonly NetworkRoute _route;
        private readonly Samples _latency = new();
        private int _invocations;
        private TimeSpan _elapsed;
        private TimeSpan _cpu;
        private TimeSpan _harnessCpu;

        private ExecutionEnvironment(LocalTopicsServer server, NetworkRoute route, RunningBootstrap bootstrap, int concurrency)
        {
            _server = server;
            _route = route;
            Bootstrap = bootstrap;
            Concurrency = concurrency;
        }

        public RunningBootstrap Bootstrap { get; }

        public int Concurrency { get; }

        public static async Task<ExecutionEnvironment> StartAsync(BootstrapBuild build, NetworkPath path, int concurrency, CancellationToken cancellationToken)
        {
            var server = await LocalTopicsServer.StartAsync(
                new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
            var route = await path.OpenAsync(server, cancellationToken).ConfigureAwait(false);
            var variables = new Dictionary<string, string?> { ["AWS_LAMBDA_MAX_CONCURRENCY"] = concurrency.ToString(CultureInfo.InvariantCulture) };
            var bootstrap = await RunningBootstrap.StartAsync(build, route.HostPort, cancellationToken, variables).ConfigureAwait(false);
            return new ExecutionEnvironment(server, route, bootstrap, concurrency);
        }

        public async Task MeasureWindowAsync(string publish, TimeSpan window, CancellationToken cancellationToken)
        {
            var cpuBefore = ProcessCpuTime(Bootstrap.ProcessId);
            var harnessBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            _invocations += await RunCallersAsync(Bootstrap, publish, Concurrency, window, _latency, cancellationToken).ConfigureAwait(false);
            _elapsed += Stopwatch.GetElapsedTime(started);
            _cpu += ProcessCpuTime(Bootstrap.ProcessId) - cpuBefore;
            _harnessCpu += Process.GetCurrentProcess().TotalProcessorTime - harnessBefore;
        }

        public Level ToLevel(string path) => new(
            path,
            Concurrency,
            _invocations,
            _invocations / _elapsed.TotalSeconds,
            _latency,
            Bootstrap.PeakRssBytes,
            _cpu.TotalMilliseconds / _invocations,
            _harnessCpu.TotalMilliseconds / _invocations,
            (int)_server.ConnectionsAccepted);

        public async ValueTask DisposeAsync()
        {
            await Bootstrap.DisposeAsync().ConfigureAwait(false);
            await _route.DisposeAsync().ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Level(
        string Path,
        int Concurrency,
        int Invocations,
        double PerSecond,
        Samples Latency,
        long PeakRssBytes,
        double CpuMsPerInvocation,
        double HarnessCpuMsPerInvocation,
        int Connections)
    {
        /// <summary>Invocations per second at which every core of the machine would be busy with this work.</summary>
        public double CeilingPerSecond => Environment.ProcessorCount * 1000.0 / (CpuMsPerInvocation + HarnessCpuMsPerInvocation);
    }
}

/// <summary>How the function under test reaches the local Topics server: directly (loopback), or through something in between.</summary>
/// <param name="Label">The table's "path" column.</param>
/// <param name="OpenAsync">Sets up the route to the server; what it returns names the host:port the function is given.</param>
internal sealed record NetworkPath(string Label, Func<LocalTopicsServer, CancellationToken, Task<NetworkRoute>> OpenAsync)
{
    public static NetworkPath Loopback { get; } = new("loopback", (server, _) => Task.FromResult(new NetworkRoute(server.HostPort, null)));

    /// <summary>Through a <see cref="DelayProxy"/> that holds each direction half of <paramref name="roundTripMs"/> (plaintext).</summary>
    public static NetworkPath Delayed(double roundTripMs) => new(
        string.Create(CultureInfo.InvariantCulture, $"{roundTripMs:0.#} ms RTT"),
        (server, _) =>
        {
            var proxy = DelayProxy.Start(server.Port, roundTripMs);
            return Task.FromResult(new NetworkRoute(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{proxy.Port}"), proxy));
        });
}

/// <summary>A route set up for a run; disposing it tears down whatever sits in between.</summary>
internal sealed record NetworkRoute(string HostPort, IAsyncDisposable? InBetween) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => InBetween?.DisposeAsync() ?? ValueTask.CompletedTask;
}
