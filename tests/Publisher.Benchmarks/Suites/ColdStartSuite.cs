using System.Text.Json.Nodes;
using Functions.Common.Observability;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>Suite 1: a fresh bootstrap process per run, timed from its own side; the harness's floor; the AOT startup timeline.</summary>
internal sealed class ColdStartSuite : ISuite
{
    public const string TimelineLabel = "AOT, timeline on";

    public string Name => "cold-start";

    public bool NeedsBootstrap => true;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var floor = HarnessFloor.Build(Path.Combine(context.ArtifactsDirectory, "probe"), out var noFloor);
        var builds = context.Builds.Concat(context.Peers).ToList();
        var result = new SuiteResult(
            Name,
            "Cold start",
            $"A fresh process per run ({sizes.ColdStartRuns} runs per build, the order rotating each run) under a lean Runtime API (blocking sockets " +
            "on their own threads, no web server), publishing to the local Topics server. Times are read on the monotonic clock the process " +
            "reads too: init = the exec (a timestamp right before the process is started) → its first `GET /next` has arrived; first invocation = " +
            "the event leaves → its response has arrived (a publish); warm = median of the " +
            $"{sizes.ColdStartWarmInvocations} invocations after it. The harness floor is a C program that only sends `GET /next`: " +
            "the part of every init figure that is process creation and the harness, not the function.");
        if (noFloor is not null)
        {
            result.Notes.Add("No harness floor: " + noFloor + ".");
        }

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        var publish = context.Events.PublishText("cold-start", "a cold-start publish");

        // Every start of one run, in one rotating order: the floor, each build, and the AOT build with its timeline on.
        var starts = new List<(string Label, BootstrapBuild Build, Dictionary<string, string?>? Environment)>();
        if (floor is not null)
        {
            starts.Add((floor.Label, floor, null));
        }

        starts.AddRange(builds.Select(b => (b.Label, b, (Dictionary<string, string?>?)null)));
        if (context.Aot is { } aot)
        {
            starts.Add((TimelineLabel, aot, new Dictionary<string, string?> { [StartupTimeline.EnvironmentVariable] = "1" }));
        }

        var phases = starts.ToDictionary(s => s.Label, _ => new Phases(), StringComparer.Ordinal);
        var timelines = new List<TimelineRun>();
        for (var run = 0; run < sizes.ColdStartRuns; run++)
        {
            context.Status.Report("fresh processes, run", run, sizes.ColdStartRuns);
            for (var k = 0; k < starts.Count; k++)
            {
                var (label, build, environment) = starts[(run + k) % starts.Count];
                if (build == floor)
                {
                    await using var probe = await RunningBootstrap.StartAsync(build, server.HostPort, cancellationToken).ConfigureAwait(false);
                    phases[label].Init.Add(probe.InitMs);
                    continue;
                }

                var timeline = await MeasureAsync(build, server.HostPort, publish, sizes.ColdStartWarmInvocations, phases[label], environment, cancellationToken).ConfigureAwait(false);
                if (timeline is not null)
                {
                    timelines.Add(timeline);
                }
            }
        }

        context.Status.Report("fresh processes, run", sizes.ColdStartRuns, sizes.ColdStartRuns);
        AddColdStartTable(result, starts.Select(s => s.Label).ToList(), phases, floor?.Label);
        AddRatios(result, context, phases, floor?.Label);
        if (timelines.Count > 0)
        {
            Timeline.AddTo(result, timelines, phases[BootstrapBuild.AotLabel], phases[TimelineLabel]);
        }
        else if (context.Aot is null)
        {
            result.Notes.Add("No startup timeline: it is read from the Native AOT bootstrap, which this run does not have.");
        }

        result.Charts.Add(Charts.ColdStartDistribution(starts.Select(s => s.Label).Where(l => l != TimelineLabel).Select(l => (l, phases[l])).ToList()));
        foreach (var (label, p) in phases)
        {
            result.Metrics[label] = p.ToJson();
        }

        result.Metrics["runs"] = sizes.ColdStartRuns;
        await NetworkColdStart.AddToAsync(result, context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static void AddColdStartTable(SuiteResult result, IReadOnlyList<string> labels, Dictionary<string, Phases> phases, string? floorLabel)
    {
        var table = new TextTable(
            "build (ms)", "init min", "init median", "init p90", "first invocation median", "cold start min", "cold start median", "cold start p90", "warm median");
        foreach (var label in labels)
        {
            var p = phases[label];
            if (label == floorLabel)
            {
                table.AddRow(label, Format.Ms(p.Init.Min), Format.Ms(p.Init.Median), Format.Ms(p.Init.Percentile(90)), "—", "—", "—", "—", "—");
                continue;
            }

            table.AddRow(
                label,
                Format.Ms(p.Init.Min), Format.Ms(p.Init.Median), Format.Ms(p.Init.Percentile(90)),
                Format.Ms(p.First.Median),
                Format.Ms(p.Total.Min), Format.Ms(p.Total.Median), Format.Ms(p.Total.Percentile(90)),
                Format.Ms(p.Warm.Median));
        }

        result.Tables.Add(table);
    }

    private static void AddRatios(SuiteResult result, BenchContext context, Dictionary<string, Phases> phases, string? floorLabel)
    {
        phases.TryGetValue(BootstrapBuild.AotLabel, out var aot);
        phases.TryGetValue(BootstrapBuild.JitLabel, out var jit);
        if (aot is not null && jit is not null)
        {
            result.AddRatio("init median, non-AOT/AOT", jit.Init.Median, aot.Init.Median, "how much longer the non-AOT init phase takes");
            result.AddRatio("first invocation median, non-AOT/AOT", jit.First.Median, aot.First.Median, "how much longer the first request takes without AOT");
            result.AddRatio("cold start (init + first) median, non-AOT/AOT", jit.Total.Median, aot.Total.Median, "the cold request as a whole");
        }

        if (aot is not null)
        {
            foreach (var peer in context.Peers)
            {
                var p = phases[peer.Label];
                result.AddRatio($"cold start median, {peer.Label}/AOT", p.Total.Median, aot.Total.Median, "how much longer the peer's cold request takes");
                result.AddRatio($"cold start median, AOT/{peer.Label}", aot.Total.Median, p.Total.Median, "the publisher's cold request against the peer's (goal against the official-SDK peer: at most 0.80x)");
                result.AddRatio($"warm median, AOT/{peer.Label}", aot.Warm.Median, p.Warm.Median, "a warm invocation against the peer's");
            }

            if (floorLabel is not null)
            {
                result.AddRatio("AOT init median / harness floor median", aot.Init.Median, phases[floorLabel].Init.Median, "how much of the AOT init is more than process creation and the harness");
            }
        }

        foreach (var build in context.Builds)
        {
            var p = phases[build.Label];
            result.AddRatio($"{build.Label} cold start / warm invocation (median)", p.Total.Median, p.Warm.Median, "what a cold start adds, in warm requests");
        }
    }

    private static async Task<TimelineRun?> MeasureAsync(
        BootstrapBuild build, string topicsHostPort, string publish, int warmInvocations, Phases phases, Dictionary<string, string?>? environment, CancellationToken cancellationToken)
    {
        await using var bootstrap = await RunningBootstrap.StartAsync(build, topicsHostPort, cancellationToken, environment).ConfigureAwait(false);
        var first = await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
        var warm = new Samples();
        for (var i = 0; i < warmInvocations; i++)
        {
            warm.Add((await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false)).Milliseconds);
        }

        phases.Init.Add(bootstrap.InitMs);
        phases.First.Add(first.Milliseconds);
        phases.Total.Add(bootstrap.InitMs + first.Milliseconds);
        phases.Warm.Add(warm.Median);
        return environment is null ? null : TimelineRun.Read(bootstrap, first);
    }

    /// <summary>The measurements of one build over all runs.</summary>
    internal sealed class Phases
    {
        public Samples Init { get; } = new();

        public Samples First { get; } = new();

        public Samples Total { get; } = new();

        public Samples Warm { get; } = new();

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            foreach (var (name, s) in new (string, Samples)[] { ("initMs", Init), ("firstInvocationMs", First), ("coldStartMs", Total), ("warmInvocationMs", Warm) })
            {
                if (s.Count > 0)
                {
                    json[name] = new JsonObject { ["min"] = s.Min, ["median"] = s.Median, ["p90"] = s.Percentile(90), ["all"] = new JsonArray([.. s.Values.Select(v => (JsonNode)v)]) };
                }
            }

            return json;
        }
    }
}
