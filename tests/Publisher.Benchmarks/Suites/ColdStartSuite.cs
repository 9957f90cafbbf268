using System.Diagnostics;
using System.Text.Json.Nodes;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>Suite 1: a fresh bootstrap process per run; init and first invocation, AOT against non-AOT.</summary>
internal sealed class ColdStartSuite : ISuite
{
    public string Name => "cold-start";

    public bool NeedsBootstrap => true;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var result = new SuiteResult(
            Name,
            "Cold start",
            $"A fresh `bootstrap` process per run ({sizes.ColdStartRuns} runs per build, builds alternating) under a local Runtime API, " +
            "publishing to the local Topics server. Init = process start → its first request for an event (config, client, connection warm-up); " +
            $"first invocation = that request → the first response (a publish); warm = median of the {sizes.ColdStartWarmInvocations} invocations after it in the same process.");

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        var publish = context.Events.PublishText("cold-start", "a cold-start publish");
        var builds = context.Builds;
        var phases = builds.ToDictionary(b => b.Label, _ => new Phases());
        for (var run = 0; run < sizes.ColdStartRuns; run++)
        {
            // Alternating which build goes first spreads the machine's drift over both.
            foreach (var build in run % 2 == 0 ? builds : builds.Reverse())
            {
                await MeasureAsync(build, server.HostPort, publish, sizes.ColdStartWarmInvocations, phases[build.Label], cancellationToken).ConfigureAwait(false);
            }

            context.Progress.Write('.');
        }

        context.Progress.WriteLine();
        var table = new TextTable(
            "phase (ms)",
            "AOT min", "AOT median", "AOT p90",
            "non-AOT min", "non-AOT median", "non-AOT p90",
            "non-AOT/AOT (median)");
        phases.TryGetValue(BootstrapBuild.AotLabel, out var aot);
        phases.TryGetValue(BootstrapBuild.JitLabel, out var jit);
        foreach (var (name, pick) in Phases.Rows)
        {
            var a = aot is null ? null : pick(aot);
            var j = jit is null ? null : pick(jit);
            table.AddRow(
                name,
                Cell(a, s => s.Min), Cell(a, s => s.Median), Cell(a, s => s.Percentile(90)),
                Cell(j, s => s.Min), Cell(j, s => s.Median), Cell(j, s => s.Percentile(90)),
                a is null || j is null ? "—" : Format.Ratio(j.Median / a.Median));
        }

        result.Tables.Add(table);
        if (aot is not null && jit is not null)
        {
            result.AddRatio("init median, non-AOT/AOT", jit.Init.Median, aot.Init.Median, "how much longer the non-AOT init phase takes");
            result.AddRatio("first invocation median, non-AOT/AOT", jit.First.Median, aot.First.Median, "how much longer the first request takes without AOT");
            result.AddRatio("cold start (init + first) median, non-AOT/AOT", jit.Total.Median, aot.Total.Median, "the cold request as a whole");
        }

        foreach (var build in builds)
        {
            var p = phases[build.Label];
            result.AddRatio($"{build.Label} cold start / warm invocation (median)", p.Total.Median, p.Warm.Median, "what a cold start adds, in warm requests");
        }

        foreach (var build in builds)
        {
            result.Metrics[build.Label] = phases[build.Label].ToJson();
        }

        result.Metrics["runs"] = sizes.ColdStartRuns;
        return result;
    }

    private static async Task MeasureAsync(BootstrapBuild build, string topicsHostPort, string publish, int warmInvocations, Phases phases, CancellationToken cancellationToken)
    {
        await using var bootstrap = await RunningBootstrap.StartAsync(build, topicsHostPort, cancellationToken).ConfigureAwait(false);
        var firstStart = Stopwatch.GetTimestamp();
        await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
        var firstMs = Samples.ElapsedMs(firstStart, Stopwatch.GetTimestamp());
        var warm = new Samples();
        for (var i = 0; i < warmInvocations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
            warm.AddElapsed(start, Stopwatch.GetTimestamp());
        }

        phases.Init.Add(bootstrap.InitMs);
        phases.First.Add(firstMs);
        phases.Total.Add(bootstrap.InitMs + firstMs);
        phases.Warm.Add(warm.Median);
    }

    private static string Cell(Samples? samples, Func<Samples, double> pick) => samples is null ? "—" : Format.Ms(pick(samples));

    private sealed class Phases
    {
        public static readonly (string Name, Func<Phases, Samples> Pick)[] Rows =
        [
            ("init (start → first /next)", p => p.Init),
            ("first invocation", p => p.First),
            ("cold start (init + first)", p => p.Total),
            ("warm invocation", p => p.Warm),
        ];

        public Samples Init { get; } = new();

        public Samples First { get; } = new();

        public Samples Total { get; } = new();

        public Samples Warm { get; } = new();

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            foreach (var (name, pick) in new (string, Func<Phases, Samples>)[] { ("initMs", p => p.Init), ("firstInvocationMs", p => p.First), ("coldStartMs", p => p.Total), ("warmInvocationMs", p => p.Warm) })
            {
                var s = pick(this);
                json[name] = new JsonObject { ["min"] = s.Min, ["median"] = s.Median, ["p90"] = s.Percentile(90) };
            }

            return json;
        }
    }
}
