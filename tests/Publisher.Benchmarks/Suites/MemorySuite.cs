using System.Diagnostics;
using System.Text.Json.Nodes;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>Suite 3: peak RSS of a long-running bootstrap after growing numbers of invocations.</summary>
internal sealed class MemorySuite : ISuite
{
    public string Name => "memory";

    public bool NeedsBootstrap => true;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var checkpoints = sizes.MemoryCheckpoints;
        var result = new SuiteResult(
            Name,
            "Memory",
            "Peak resident memory (VmHWM of /proc/<pid>/status) of one `bootstrap` process after init and after " +
            string.Join(", ", checkpoints.Select(c => Format.Count(c))) + " publish invocations in total, " +
            $"{sizes.MemoryPipelineDepth} events queued at a time so the runtime never waits for work. " +
            "A growth ratio (last/first checkpoint) near 1 means no leak.");

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        var publish = context.Events.PublishText("memory", "a publish of the memory suite");
        var headers = new List<string> { "build (MiB)", "after init" };
        headers.AddRange(checkpoints.Select(c => "after " + Format.Count(c)));
        headers.Add("growth last/first");
        headers.Add("invocations/s");
        var table = new TextTable([.. headers]);
        var peaks = new Dictionary<string, long>(StringComparer.Ordinal);
        var lines = new List<(string, long, IReadOnlyList<(int, long)>)>();
        foreach (var build in context.Builds)
        {
            var measured = await MeasureAsync(build, server.HostPort, publish, checkpoints, sizes.MemoryPipelineDepth, context.Status, cancellationToken).ConfigureAwait(false);
            lines.Add((build.Label, measured.AfterInit, [.. checkpoints.Zip(measured.Peaks)]));
            var row = new List<string> { build.Label, Format.MiB(measured.AfterInit) };
            row.AddRange(measured.Peaks.Select(Format.MiB));
            row.Add(Format.Ratio((double)measured.Peaks[^1] / measured.Peaks[0]));
            row.Add(Format.Rate(measured.InvocationsPerSecond));
            table.AddRow([.. row]);
            result.AddRatio($"{build.Label} peak RSS growth, after {Format.Count(checkpoints[^1])} / after {Format.Count(checkpoints[0])}", measured.Peaks[^1], measured.Peaks[0], "1.00x is flat: no leak");
            peaks[build.Label] = measured.Peaks[^1];
            var json = new JsonObject
            {
                ["afterInitBytes"] = measured.AfterInit,
                ["invocationsPerSecond"] = measured.InvocationsPerSecond,
            };
            var byCheckpoint = new JsonObject();
            for (var i = 0; i < checkpoints.Count; i++)
            {
                byCheckpoint[Format.Int(checkpoints[i])] = measured.Peaks[i];
            }

            json["peakBytesAfterInvocations"] = byCheckpoint;
            result.Metrics[build.Label] = json;
        }

        if (peaks.TryGetValue(BootstrapBuild.AotLabel, out var aotPeak) && peaks.TryGetValue(BootstrapBuild.JitLabel, out var jitPeak))
        {
            result.AddRatio($"peak RSS after {Format.Count(checkpoints[^1])}, non-AOT/AOT", jitPeak, aotPeak, "memory the non-AOT build needs for the same work");
        }

        result.Tables.Add(table);
        result.Charts.Add(Charts.Rss(lines));
        return result;
    }

    private static async Task<Measured> MeasureAsync(
        BootstrapBuild build, string topicsHostPort, string publish, IReadOnlyList<int> checkpoints, int depth, ProgressReporter status, CancellationToken cancellationToken)
    {
        await using var bootstrap = await RunningBootstrap.StartAsync(build, topicsHostPort, cancellationToken).ConfigureAwait(false);
        var afterInit = bootstrap.PeakRssBytes;
        var peaks = new List<long>();
        var claimed = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var checkpoint in checkpoints)
        {
            // A few invocations always queued: the runtime's loop, not this one, sets the pace.
            var workers = Enumerable.Range(0, depth).Select(async _ =>
            {
                int claim;
                while ((claim = Interlocked.Increment(ref claimed)) <= checkpoint)
                {
                    await bootstrap.InvokeAsync(publish, cancellationToken).ConfigureAwait(false);
                    status.Report(build.Label + " invocations", claim, checkpoints[^1]);
                }

                Interlocked.Decrement(ref claimed);
            });
            await Task.WhenAll(workers).ConfigureAwait(false);
            peaks.Add(bootstrap.PeakRssBytes);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Measured(afterInit, peaks, checkpoints[^1] / seconds);
    }

    private sealed record Measured(long AfterInit, IReadOnlyList<long> Peaks, double InvocationsPerSecond);
}
