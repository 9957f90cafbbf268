using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;
using Publisher.Local;

namespace Publisher.Benchmarks.Suites;

/// <summary>Suite 2: the same publish bare, through a warm bootstrap invocation, and through the local HTTP API, interleaved.</summary>
internal sealed class WarmSuite : ISuite
{
    private const string Value = "warm-overhead value of 48 bytes, same for each.";

    public string Name => "warm";

    public bool NeedsBootstrap => true;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var build = context.AotOrJit;
        var result = new SuiteResult(
            Name,
            "Warm overhead",
            $"One publish of a {Value.Length}-byte text value, {sizes.WarmIterations} times each after {sizes.WarmWarmupIterations} warm-up rounds, " +
            "the three paths interleaved (rotating order) against one local Topics server: (a) `TopicClient.PublishAsync` alone; " +
            $"(b) a full invocation of the warm {build.Label} `bootstrap` through the Runtime API (event out, /next, publish, response back); " +
            "(c) `POST /topics` through the local HTTP API (HttpClient → Kestrel → REST proxy event → handler → publish).");
        if (context.Aot is null)
        {
            result.Notes.Add("(b) ran the non-AOT build: no AOT bootstrap in this run.");
        }

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        using var client = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort));
        if (await client.ConnectAsync(cancellationToken).ConfigureAwait(false) is TopicConnectResponse.Error connectError)
        {
            throw new InvalidOperationException("Could not connect to the local Topics server: " + connectError.TopicError.Message);
        }

        await using var bootstrap = await RunningBootstrap.StartAsync(build, server.HostPort, cancellationToken).ConfigureAwait(false);
        await using var service = await LocalService.StartAsync(LocalServiceFor(server), cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = service.ApiUrl };

        var invocationEvent = context.Events.PublishText("warm-b", Value);
        var httpBody = Encoding.UTF8.GetBytes(JsonBody.Message("warm-c", Value));
        var paths = new (string Name, Func<Task> Run, Samples Samples)[]
        {
            ("(a) client PublishAsync", () => PublishBareAsync(client, cancellationToken), new Samples()),
            ($"(b) {build.Label} bootstrap invocation", () => bootstrap.InvokeAsync(invocationEvent, cancellationToken), new Samples()),
            ("(c) local HTTP API POST /topics", () => PostAsync(http, httpBody, cancellationToken), new Samples()),
        };

        for (var i = -sizes.WarmWarmupIterations; i < sizes.WarmIterations; i++)
        {
            context.Status.Report(i < 0 ? "warm-up rounds" : "rounds", i < 0 ? i + sizes.WarmWarmupIterations : i + 1, i < 0 ? sizes.WarmWarmupIterations : sizes.WarmIterations);
            // Rotating the order keeps one path from always running right after another.
            for (var k = 0; k < paths.Length; k++)
            {
                var path = paths[(i + sizes.WarmWarmupIterations + k) % paths.Length];
                var start = Stopwatch.GetTimestamp();
                await path.Run().ConfigureAwait(false);
                var end = Stopwatch.GetTimestamp();
                if (i >= 0)
                {
                    path.Samples.AddElapsed(start, end);
                }
            }
        }

        var bare = paths[0].Samples;
        var table = new TextTable("path", "n", "p50 ms", "p99 ms", "p50 / (a)", "p99 / (a)");
        foreach (var (name, _, samples) in paths)
        {
            table.AddRow(
                name,
                Format.Int(samples.Count),
                Format.Ms(samples.Median),
                Format.Ms(samples.Percentile(99)),
                Format.Ratio(samples.Median / bare.Median),
                Format.Ratio(samples.Percentile(99) / bare.Percentile(99)));
            result.Metrics[name] = new JsonObject { ["p50Ms"] = samples.Median, ["p99Ms"] = samples.Percentile(99), ["n"] = samples.Count };
        }

        result.Tables.Add(table);
        result.Charts.Add(Charts.Percentiles("warm-latency.svg", "Warm latency percentiles", [.. paths.Select(p => (p.Name, p.Samples))]));
        var invoked = paths[1].Samples;

        // The function's own log says how much of (b) it spent, and how much of that was the publish call.
        var logged = bootstrap.InvocationLogTimes().TakeLast(sizes.WarmIterations).ToList();
        var handler = new Samples();
        var publishCall = new Samples();
        var ownWork = new Samples();
        foreach (var (durationMs, publishMs) in logged)
        {
            handler.Add(durationMs);
            publishCall.Add(publishMs);
            ownWork.Add(Math.Max(0, durationMs - publishMs));
        }

        if (logged.Count > 0)
        {
            var inside = new TextTable($"inside the {build.Label} function (its log)", "n", "p50 ms", "p99 ms", "p50 / (b) p50");
            foreach (var (name, samples) in new[] { ("handler (durationMs)", handler), ("publish call (publishMs)", publishCall), ("own work (durationMs − publishMs)", ownWork) })
            {
                inside.AddRow(name, Format.Int(samples.Count), Format.Ms(samples.Median), Format.Ms(samples.Percentile(99)), Format.Ratio(samples.Median / invoked.Median));
            }

            result.Tables.Add(inside);
        }

        var viaHttp = paths[2].Samples;
        result.AddRatio("(b)/(a) p50", invoked.Median, bare.Median, "a warm invocation against the bare publish");
        result.AddRatio("(b)/(a) p99", invoked.Percentile(99), bare.Percentile(99), "the same at the tail");
        result.AddRatio("(c)/(a) p50", viaHttp.Median, bare.Median, "the local HTTP API against the bare publish");
        result.AddRatio("(c)/(a) p99", viaHttp.Percentile(99), bare.Percentile(99), "the same at the tail");
        if (logged.Count > 0)
        {
            result.AddRatio("function's own work / (b) round trip, p50", ownWork.Median, invoked.Median, "the share of a warm invocation that is the handler's own code (parse, validate, respond, log)");
            result.Metrics["ownWorkP50Ms"] = ownWork.Median;
            result.Metrics["handlerP50Ms"] = handler.Median;
        }

        result.Notes.Add($"(b) − (a) at p50: {Format.Ms(invoked.Median - bare.Median)} ms per invocation, the function plus the Runtime API exchange on top of the publish.");
        result.Metrics["bootstrap"] = build.Label;
        return result;
    }

    /// <summary>The local service publishing to the given server, quietly.</summary>
    internal static LocalServiceOptions LocalServiceFor(LocalTopicsServer server) => new()
    {
        ApiPort = 0,
        TopicsPort = 0,
        CacheName = BenchContext.CacheName,
        Log = TextWriter.Null,
        Environment = name => name switch
        {
            "MOMENTO_LOCAL_ENDPOINT" => server.HostPort,
            "MOMENTO_CACHE_NAME" => BenchContext.CacheName,
            "PUBLISH_TIMEOUT_MS" => "5000",
            _ => null,
        },
    };

    private static async Task PublishBareAsync(TopicClient client, CancellationToken cancellationToken)
    {
        var response = await client.PublishAsync(BenchContext.CacheName, "warm-a", Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response is TopicPublishResponse.Error error)
        {
            throw new InvalidOperationException("A bare publish failed: " + error.TopicError.Message);
        }
    }

    private static async Task PostAsync(HttpClient http, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("/topics", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /topics answered {(int)response.StatusCode}: {answer}");
        }
    }
}
