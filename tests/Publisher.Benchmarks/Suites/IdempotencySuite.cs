using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Publisher.Benchmarks.Internal;
using Publisher.Contracts;

namespace Publisher.Benchmarks.Suites;

/// <summary>
/// What an Idempotency-Key adds to a warm publish: the same <c>POST /topics</c> unkeyed, with a fresh key (claim,
/// publish, keep: two cache calls more on the warm channel) and repeated with a used key (a replay: claim refused, one
/// read, no publish), interleaved so that each mode meets the same machine.
/// </summary>
internal sealed class IdempotencySuite : ISuite
{
    private const string Value = "idempotency benchmark value";

    public string Name => "idempotency";

    public bool NeedsBootstrap => false;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var iterations = context.Sizes.WarmIterations;
        var warmup = context.Sizes.WarmWarmupIterations;
        var result = new SuiteResult(
            Name,
            "Idempotency-Key",
            $"Warm `POST /topics` through the local HTTP API (REST proxy event → handler → local Topics server, whose cache holds the records), " +
            $"{iterations} of each mode after {warmup} warm-up rounds, modes interleaved: unkeyed; a fresh Idempotency-Key (set-if-absent, publish, set); " +
            "the same key again (a replay: set-if-absent refused, get, nothing published).");

        await using var rig = await LocalApiRig.StartAsync(cancellationToken).ConfigureAwait(false);
        var http = rig.Http;
        var body = Encoding.UTF8.GetBytes(JsonBody.Message("idempotency-" + Guid.NewGuid().ToString("N")[..8], Value));

        var unkeyed = new Samples();
        var keyed = new Samples();
        var replayed = new Samples();
        for (var i = -warmup; i < iterations; i++)
        {
            context.Status.Report("rounds", Math.Max(0, i + 1), iterations);
            var key = "bench-" + Guid.NewGuid().ToString("N");
            var keyedFirst = i % 2 == 0;
            for (var k = 0; k < 2; k++)
            {
                if (keyedFirst == (k == 0))
                {
                    await TimeAsync(i >= 0 ? keyed : null, () => PostAsync(http, body, key, expectReplay: false, cancellationToken)).ConfigureAwait(false);
                    await TimeAsync(i >= 0 ? replayed : null, () => PostAsync(http, body, key, expectReplay: true, cancellationToken)).ConfigureAwait(false);
                }
                else
                {
                    await TimeAsync(i >= 0 ? unkeyed : null, () => PostAsync(http, body, null, expectReplay: false, cancellationToken)).ConfigureAwait(false);
                }
            }
        }

        var table = new TextTable("mode", "median ms", "p99 ms", "median vs unkeyed", "added median ms", "added p99 ms");
        foreach (var (name, samples) in new[] { ("unkeyed", unkeyed), ("keyed (first request)", keyed), ("keyed (replay)", replayed) })
        {
            table.AddRow(
                name,
                Format.Ms(samples.Median),
                Format.Ms(samples.Percentile(99)),
                Format.Ratio(samples.Median / unkeyed.Median),
                Format.Ms(samples.Median - unkeyed.Median),
                Format.Ms(samples.Percentile(99) - unkeyed.Percentile(99)));
            result.Metrics[name] = new JsonObject { ["medianMs"] = samples.Median, ["p99Ms"] = samples.Percentile(99), ["samples"] = samples.Count };
        }

        result.Tables.Add(table);
        result.AddRatio("keyed / unkeyed, median", keyed.Median, unkeyed.Median, "what claiming and keeping a key adds to a warm publish");
        result.AddRatio("keyed / unkeyed, p99", keyed.Percentile(99), unkeyed.Percentile(99), "the same at the tail");
        result.AddRatio("replay / unkeyed, median", replayed.Median, unkeyed.Median, "a retry answered from the record against a publish");
        return result;
    }

    private static async Task TimeAsync(Samples? samples, Func<Task> run)
    {
        var start = Stopwatch.GetTimestamp();
        await run().ConfigureAwait(false);
        samples?.AddElapsed(start, Stopwatch.GetTimestamp());
    }

    private static async Task PostAsync(HttpClient http, byte[] body, string? key, bool expectReplay, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/topics", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (key is not null)
        {
            request.Headers.Add(HttpContract.IdempotencyKeyHeader, key);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var replay = response.Headers.TryGetValues(HttpContract.IdempotentReplayedHeader, out var values) && values.Contains("true");
        if (response.StatusCode != HttpStatusCode.OK || replay != expectReplay)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"POST /topics ({(key is null ? "unkeyed" : "keyed")}) answered {(int)response.StatusCode}, replayed: {replay}, expected {expectReplay}."));
        }
    }
}
