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
    /// Where the function reaches the Topics server. Loopback only for now; the network model's delaying proxy (being
    /// built for the cold-start suite) plugs in here as more paths, where concurrency hides the round trip.
    /// </summary>
    internal static IReadOnlyList<NetworkPath> Paths { get; } = [NetworkPath.Loopback];

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var build = context.AotOrJit;
        var seconds = sizes.ConcurrencyDuration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
        var result = new SuiteResult(
            Name,
            "Many invocations per environment",
            $"One {build.Label} `bootstrap` process per concurrency C (AWS_LAMBDA_MAX_CONCURRENCY = C, as on Lambda Managed Instances), " +
            $"C callers invoking it back to back through the lean Runtime API for {seconds} s after a warm-up, each a {Value.Length}-byte text publish " +
            "to the local Topics server. Throughput = invocations answered / time; latency = a caller's wait (event queued → response); CPU = user + " +
            "system time per invocation of the function's process, and of this process (callers, Runtime API, Topics server); ceiling = the machine's " +
            "cores / the two CPU times together: the throughput at which the cores would be busy; connections = TCP connections the function " +
            "opened to the Topics server (must be 1).");
        if (context.Aot is null)
        {
            result.Notes.Add("Ran the non-AOT build: no AOT bootstrap in this run.");
        }

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        var publish = context.Events.PublishText("concurrency", Value);
        var table = new TextTable(
            "path", "C", "invocations", "invocations/s", "vs C=1", "p50 ms", "p99 ms", "peak RSS MiB", "CPU ms/inv. function", "CPU ms/inv. harness", "ceiling/s", "connections");
        var levels = new List<Level>();
        var step = 0;
        foreach (var path in Paths)
        {
            await using var route = await path.OpenAsync(server, cancellationToken).ConfigureAwait(false);
            foreach (var concurrency in sizes.ConcurrencyLevels)
            {
                context.Status.Report("levels", step++, Paths.Count * sizes.ConcurrencyLevels.Count);
                var level = await MeasureAsync(build, server, route.HostPort, path.Label, concurrency, publish, sizes, cancellationToken).ConfigureAwait(false);
                levels.Add(level);
                var first = levels.First(l => l.Path == level.Path);
                table.AddRow(
                    path.Label,
                    Format.Int(concurrency),
                    Format.Count(level.Invocations),
                    Format.Rate(level.PerSecond),
                    Format.Ratio(level.PerSecond / first.PerSecond),
                    Format.Ms(level.Latency.Median),
                    Format.Ms(level.Latency.Percentile(99)),
                    Format.MiB(level.PeakRssBytes),
                    Format.Ms(level.CpuMsPerInvocation),
                    Format.Ms(level.HarnessCpuMsPerInvocation),
                    Format.Rate(level.CeilingPerSecond),
                    Format.Int(level.Connections));
            }
        }

        context.Status.Report("levels", step, Paths.Count * sizes.ConcurrencyLevels.Count);
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

    private static async Task<Level> MeasureAsync(
        BootstrapBuild build, LocalTopicsServer server, string topicsHostPort, string path, int concurrency, string publish, Sizes sizes, CancellationToken cancellationToken)
    {
        var connectionsBefore = server.ConnectionsAccepted;
        var environment = new Dictionary<string, string?> { ["AWS_LAMBDA_MAX_CONCURRENCY"] = concurrency.ToString(CultureInfo.InvariantCulture) };
        await using var bootstrap = await RunningBootstrap.StartAsync(build, topicsHostPort, cancellationToken, environment).ConfigureAwait(false);

        // Warm-up at the same concurrency: first calls, pools and the thread pool's growth stay out of the measurement.
        await RunCallersAsync(bootstrap, publish, concurrency, sizes.ConcurrencyWarmUp, latency: null, cancellationToken).ConfigureAwait(false);
        var cpuBefore = ProcessCpuTime(bootstrap.ProcessId);
        var harnessBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var latency = new Samples();
        var started = Stopwatch.GetTimestamp();
        var invocations = await RunCallersAsync(bootstrap, publish, concurrency, sizes.ConcurrencyDuration, latency, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = ProcessCpuTime(bootstrap.ProcessId) - cpuBefore;
        var harness = Process.GetCurrentProcess().TotalProcessorTime - harnessBefore;
        return new Level(
            path,
            concurrency,
            invocations,
            invocations / elapsed.TotalSeconds,
            latency,
            bootstrap.PeakRssBytes,
            cpu.TotalMilliseconds / invocations,
            harness.TotalMilliseconds / invocations,
            (int)(server.ConnectionsAccepted - connectionsBefore));
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
}

/// <summary>A route set up for a run; disposing it tears down whatever sits in between.</summary>
internal sealed record NetworkRoute(string HostPort, IAsyncDisposable? InBetween) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => InBetween?.DisposeAsync() ?? ValueTask.CompletedTask;
}
