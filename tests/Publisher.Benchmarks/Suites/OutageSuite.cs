using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>
/// Suite 7: a Topics outage under a running bootstrap invoked every 200 ms. The local Topics server is stopped, left down,
/// and restarted on the same port; how the invocations fared while it was down, and how soon after it was back one published.
/// </summary>
internal sealed class OutageSuite : ISuite
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long after the restart the suite waits for a 200 before it calls the recovery failed.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    public string Name => "outage";

    public bool NeedsBootstrap => true;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var build = context.AotOrJit;
        var result = new SuiteResult(
            Name,
            "Topics outage and recovery",
            $"The warm {build.Label} `bootstrap` under the lean Runtime API, invoked every {Interval.TotalMilliseconds:0} ms with one `POST /topics` " +
            $"(invocation deadline {Timeouts.Invocation.TotalSeconds:0} s). {sizes.OutageCycles} times: {sizes.OutageUp.TotalSeconds:0.#} s up, then the local " +
            $"Topics server is stopped for {sizes.OutageDown.TotalSeconds:0.#} s and restarted on the same port. Reported per outage: the invocations " +
            "answered while it was down and their status codes, how long a failing invocation took (event sent to answer back), the failed " +
            "invocations after it was back, and the time from the restarted server listening to the answer of the first 200.");
        if (context.Aot is null)
        {
            result.Notes.Add("Ran the non-AOT build: no AOT bootstrap in this run.");
        }

        var options = new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] };
        var server = await LocalTopicsServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        options = options with { Port = server.Port };
        var outages = new List<Outage>();
        var healthy = new Samples();
        try
        {
            await using var bootstrap = await RunningBootstrap.StartAsync(build, server.HostPort, cancellationToken).ConfigureAwait(false);
            var publish = context.Events.PublishText("outage", "outage value");
            using var ticks = new PeriodicTimer(Interval);
            for (var cycle = 1; cycle <= sizes.OutageCycles; cycle++)
            {
                context.Status.Report($"outage {cycle}: up", cycle, sizes.OutageCycles);
                var upUntil = Stopwatch.GetTimestamp() + ToTicks(sizes.OutageUp);
                while (Stopwatch.GetTimestamp() < upUntil)
                {
                    await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                    var invocation = await bootstrap.InvokeAnyAsync(publish, cancellationToken).ConfigureAwait(false);
                    var status = StatusOf(invocation);
                    healthy.Add(invocation.Milliseconds);
                    if (status != 200)
                    {
                        throw new InvalidOperationException($"An invocation answered {status} while the Topics server was up.");
                    }
                }

                context.Status.Report($"outage {cycle}: down", cycle, sizes.OutageCycles);
                await server.DisposeAsync().ConfigureAwait(false);
                var outage = new Outage(cycle);
                var downUntil = Stopwatch.GetTimestamp() + ToTicks(sizes.OutageDown);
                while (Stopwatch.GetTimestamp() < downUntil)
                {
                    await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                    var invocation = await bootstrap.InvokeAnyAsync(publish, cancellationToken).ConfigureAwait(false);
                    outage.Down(StatusOf(invocation), invocation.Milliseconds);
                }

                context.Status.Report($"outage {cycle}: back", cycle, sizes.OutageCycles);
                server = await LocalTopicsServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
                var back = Stopwatch.GetTimestamp();
                while (outage.RecoveryMs is null)
                {
                    if (Stopwatch.GetElapsedTime(back) > RecoveryLimit)
                    {
                        throw new InvalidOperationException($"No invocation published within {RecoveryLimit.TotalSeconds:0} s of the server's restart.");
                    }

                    await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                    var invocation = await bootstrap.InvokeAnyAsync(publish, cancellationToken).ConfigureAwait(false);
                    if (StatusOf(invocation) == 200)
                    {
                        outage.RecoveryMs = Samples.ElapsedMs(back, invocation.AnsweredTimestamp);
                    }
                    else
                    {
                        outage.FailedAfterBack++;
                    }
                }

                outages.Add(outage);
            }
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        Report(result, outages, healthy);
        result.Metrics["bootstrap"] = build.Label;
        return result;
    }

    private static void Report(SuiteResult result, List<Outage> outages, Samples healthy)
    {
        var table = new TextTable("outage", "answered while down", "status codes", "failing p50 ms", "failing max ms", "failed after back", "back → first 200 ms");
        var failing = new Samples();
        var recovery = new Samples();
        var cycles = new JsonArray();
        foreach (var outage in outages)
        {
            failing.AddRange(outage.FailingMs.Values);
            recovery.Add(outage.RecoveryMs!.Value);
            table.AddRow(
                Format.Int(outage.Cycle),
                Format.Int(outage.FailingMs.Count),
                outage.Codes(),
                outage.FailingMs.Count > 0 ? Format.Ms(outage.FailingMs.Median) : "-",
                outage.FailingMs.Count > 0 ? Format.Ms(outage.FailingMs.Max) : "-",
                Format.Int(outage.FailedAfterBack),
                Format.Ms(outage.RecoveryMs!.Value));
            cycles.Add(new JsonObject
            {
                ["failedWhileDown"] = outage.FailingMs.Count,
                ["statusCodes"] = new JsonObject(outage.StatusCodes.Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value))),
                ["failingMedianMs"] = outage.FailingMs.Count > 0 ? outage.FailingMs.Median : null,
                ["failedAfterBack"] = outage.FailedAfterBack,
                ["recoveryMs"] = outage.RecoveryMs,
            });
        }

        result.Tables.Add(table);
        var codes = outages.SelectMany(o => o.StatusCodes).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        result.Metrics["outages"] = cycles;
        result.Metrics["failedWhileDown"] = failing.Count;
        result.Metrics["statusCodes"] = new JsonObject(codes.OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value)));
        result.Metrics["failingMedianMs"] = failing.Count > 0 ? failing.Median : null;
        result.Metrics["failedAfterBack"] = outages.Sum(o => o.FailedAfterBack);
        result.Metrics["healthyMedianMs"] = healthy.Median;
        result.Metrics["recoveryMedianMs"] = recovery.Median;
        result.Metrics["recoveryMaxMs"] = recovery.Max;
        if (failing.Count > 0)
        {
            result.AddRatio("failing invocation p50 / healthy invocation p50", failing.Median, healthy.Median,
                "an invocation during the outage against one that publishes, both in this run");
            result.Notes.Add($"A failing invocation took {Format.Ms(failing.Median)} ms at p50 and {Format.Ms(failing.Max)} ms at most, of its {Timeouts.Invocation.TotalSeconds:0} s deadline.");
        }

        result.AddRatio("back → first 200, max / invocation interval", recovery.Max, Interval.TotalMilliseconds,
            "at most 1 when the first invocation after the restart publishes (it waits for its 200 ms tick)");
        result.Notes.Add($"Failed invocations after the server was back: {outages.Sum(o => o.FailedAfterBack)} (the next invocation should publish).");
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The proxy response's statusCode; 0 when the invocation failed or timed out instead of answering.</summary>
    private static int StatusOf(LeanInvocation invocation)
    {
        if (invocation.Error is not null || invocation.TimedOut || invocation.Response is null)
        {
            return 0;
        }

        using var document = JsonDocument.Parse(invocation.Response);
        return document.RootElement.TryGetProperty("statusCode", out var status) ? status.GetInt32() : 0;
    }

    private sealed class Outage(int cycle)
    {
        public int Cycle { get; } = cycle;

        public Samples FailingMs { get; } = new();

        public SortedDictionary<int, int> StatusCodes { get; } = [];

        public int FailedAfterBack { get; set; }

        public double? RecoveryMs { get; set; }

        public void Down(int status, double milliseconds)
        {
            FailingMs.Add(milliseconds);
            StatusCodes[status] = StatusCodes.GetValueOrDefault(status) + 1;
        }

        public string Codes() => string.Join(", ", StatusCodes.Select(p => $"{(p.Key == 0 ? "no answer" : p.Key.ToString(CultureInfo.InvariantCulture))} × {p.Value}"));
    }
}
