using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>
/// Suite 6: bodies over the local API's cap, sent to the local service as its own process. Memory must stay
/// where it was (the API reads up to the cap and stops), and every body must get a 413 problem, also when
/// the process runs with a small hard heap limit.
/// </summary>
internal sealed class OversizeSuite : ISuite
{
    /// <summary>The hard heap limit of the second process: well above what the service needs, far below the bodies it is sent.</summary>
    private const long CappedHeapBytes = 128L * 1024 * 1024;

    private const string ProblemJson = "application/problem+json";

    public string Name => "oversize";

    public bool NeedsBootstrap => false;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var n = sizes.OversizeRequests;
        var result = new SuiteResult(
            Name,
            "Oversized bodies",
            $"{Format.Count(n)} bodies of {Format.MiB(sizes.OversizeBodyBytes)} MiB (the cap is 1 MiB) to `POST /topics/{{topicName}}` of the local service " +
            $"(`src/Publisher.Local`, its own process), {sizes.OversizeConcurrency} at a time, half with Content-Length (refused before reading), " +
            "half chunked (counted as they stream). Resident memory (VmRSS) at start, after a warm-up (20 normal publishes and " +
            $"{sizes.OversizeWarmUp} oversized bodies at the same concurrency, so first-use costs such as JIT, thread-pool growth and pooled connection buffers are in the baseline), " +
            $"right after the bodies, after {sizes.OversizeIdle.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s idle, and after as many bodies again: " +
            "the goal is growth over the warm-up baseline under 20%, and none from the second round (nothing accumulates). " +
            $"Then the same bodies ({Format.Count(n / 4)}) to a process with a {Format.MiB(CappedHeapBytes)} MiB hard heap limit: each must still get a 413 problem.");

        var table = new TextTable(
            "process", "bodies", "413 problem answers", "RSS at start (MiB)", "after warm-up (MiB)", "after bodies (MiB)", "after idle (MiB)", "after again (MiB)",
            "after / warm-up", "idle / warm-up", "again / after");
        long start, before, after, idle, again;
        Outcomes free;
        await using (var service = await LocalServiceProcess.StartAsync(heapLimit: null, cancellationToken).ConfigureAwait(false))
        {
            start = service.ResidentBytes();
            await service.WarmUpAsync(cancellationToken).ConfigureAwait(false);
            var warmUp = await SendAsync(service, sizes.OversizeWarmUp, sizes, context.Status, "warm-up bodies", cancellationToken).ConfigureAwait(false);
            if (warmUp.Other.Count > 0)
            {
                throw new InvalidOperationException("An oversized body of the warm-up was not answered with a 413 problem: " + warmUp.Other[0]);
            }

            before = service.ResidentBytes();
            free = await SendAsync(service, n, sizes, context.Status, "oversized bodies", cancellationToken).ConfigureAwait(false);
            after = service.ResidentBytes();
            await Task.Delay(sizes.OversizeIdle, cancellationToken).ConfigureAwait(false);
            idle = service.ResidentBytes();
            var second = await SendAsync(service, n, sizes, context.Status, "second round", cancellationToken).ConfigureAwait(false);
            again = service.ResidentBytes();
            free.Add(second);
            await service.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        }

        table.AddRow("default", Format.Count(2 * n), Format.Count(free.Problems), Format.MiB(start), Format.MiB(before), Format.MiB(after), Format.MiB(idle), Format.MiB(again),
            Format.Ratio((double)after / before), Format.Ratio((double)idle / before), Format.Ratio((double)again / after));

        var capped = n / 4;
        Outcomes limited;
        await using (var service = await LocalServiceProcess.StartAsync(CappedHeapBytes, cancellationToken).ConfigureAwait(false))
        {
            await service.WarmUpAsync(cancellationToken).ConfigureAwait(false);
            limited = await SendAsync(service, capped, sizes, context.Status, "capped heap", cancellationToken).ConfigureAwait(false);
            // Still serving normal requests afterwards.
            await service.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        }

        table.AddRow($"heap limit {Format.MiB(CappedHeapBytes)} MiB", Format.Count(capped), Format.Count(limited.Problems), "-", "-", "-", "-", "-", "-", "-", "-");
        result.Tables.Add(table);
        result.AddRatio($"RSS right after {Format.Count(n)} oversized bodies / after warm-up", after, before, "under 1.20x is the goal: nothing refused is kept");
        result.AddRatio($"RSS after {sizes.OversizeIdle.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s idle / after warm-up", idle, before, "under 1.20x is the goal");
        result.AddRatio($"RSS after a second {Format.Count(n)} / after the first", again, after, "1.00x: nothing accumulates");
        result.AddRatio($"413 problem answers / bodies, {Format.MiB(CappedHeapBytes)} MiB heap limit", limited.Problems, capped, "1.00x: every body refused cleanly, none an empty 500");
        result.Metrics["requests"] = n;
        result.Metrics["bodyBytes"] = sizes.OversizeBodyBytes;
        result.Metrics["rssAtStartBytes"] = start;
        result.Metrics["rssAfterWarmUpBytes"] = before;
        result.Metrics["rssAfterBytes"] = after;
        result.Metrics["rssAfterIdleBytes"] = idle;
        result.Metrics["rssAfterSecondRoundBytes"] = again;
        result.Metrics["problemAnswers"] = free.Problems;
        result.Metrics["cappedHeapBytes"] = CappedHeapBytes;
        result.Metrics["cappedRequests"] = capped;
        result.Metrics["cappedProblemAnswers"] = limited.Problems;
        var wrong = free.Other.Concat(limited.Other).ToList();
        if (wrong.Count > 0)
        {
            result.Failure = $"{wrong.Count} oversized bodies were not answered with a 413 problem, e.g. {wrong[0]}";
        }

        return result;
    }

    private static async Task<Outcomes> SendAsync(
        LocalServiceProcess service, int count, Sizes sizes, ProgressReporter status, string step, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = service.ApiUrl, Timeout = Timeouts.Step };
        var outcomes = new Outcomes();
        var next = -1;
        var workers = Enumerable.Range(0, sizes.OversizeConcurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var content = new ZeroContent(sizes.OversizeBodyBytes, declareLength: i % 2 == 0);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                string outcome;
                try
                {
                    using var response = await http.PostAsync(new Uri("/topics/oversize", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                    var type = response.Content.Headers.ContentType?.MediaType;
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    outcome = response.StatusCode == HttpStatusCode.RequestEntityTooLarge && type == ProblemJson && body.Contains("\"status\":413", StringComparison.Ordinal)
                        ? string.Empty
                        : $"{(int)response.StatusCode} {type}: {(body.Length > 120 ? body[..120] : body)}";
                }
                catch (HttpRequestException e)
                {
                    outcome = "no answer: " + e.Message;
                }

                outcomes.Add(outcome);
                status.Report(step, i + 1, count);
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return outcomes;
    }

    private sealed class Outcomes
    {
        private readonly Lock _gate = new();
        private int _problems;

        public List<string> Other { get; } = [];

        public int Problems => _problems;

        public void Add(Outcomes other)
        {
            Interlocked.Add(ref _problems, other.Problems);
            lock (_gate)
            {
                Other.AddRange(other.Other);
            }
        }

        public void Add(string outcome)
        {
            if (outcome.Length == 0)
            {
                Interlocked.Increment(ref _problems);
                return;
            }

            lock (_gate)
            {
                Other.Add(outcome);
            }
        }
    }

    /// <summary>A body of zeros streamed in 64 KiB writes: with a Content-Length, or chunked when the length is not declared.</summary>
    private sealed class ZeroContent(int length, bool declareLength) : HttpContent
    {
        private static readonly byte[] Block = new byte[64 * 1024];

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var sent = 0; sent < length; sent += Block.Length)
            {
                await stream.WriteAsync(Block.AsMemory(0, Math.Min(Block.Length, length - sent))).ConfigureAwait(false);
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return declareLength;
        }
    }
}
