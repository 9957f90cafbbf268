using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>
/// Suite 8: bodies just under and just over the limits, which are read, turned into an event and parsed before they
/// are refused. Memory of the local runner (its own process, as a user starts it) and of the function's bootstrap at
/// 128 MB under a local Runtime API: resident and managed, after the first request, after each round, after idle.
/// </summary>
internal sealed class NearLimitMemorySuite : ISuite
{
    /// <summary>The function's configured memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE): the smallest the stack allows.</summary>
    public const int FunctionMemoryMiB = 128;

    /// <summary>The function's peak resident memory must stay under this, well inside its 128 MB.</summary>
    private const long FunctionPeakBudgetBytes = 100L * 1024 * 1024;

    private const string ProblemJson = "application/problem+json";

    /// <summary>How an outcome starts when the process gave no answer at all.</summary>
    private const string NoAnswer = "no answer";

    public string Name => "memory-near-limit";

    public bool NeedsBootstrap => true;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var build = context.AotOrJit;
        var idle = sizes.NearLimitIdle.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
        var result = new SuiteResult(
            Name,
            "Memory near the limits",
            $"{Format.Count(sizes.NearLimitRequests)} requests cycling four bodies that must each get a 413 problem: " +
            string.Join(", ", NearLimitRequests.Refused.Select(r => r.Name)) + $", in {sizes.NearLimitRounds} rounds; before them and after " +
            $"{idle} idle, the {NearLimitRequests.LargestValid.Name} ({Format.MiB(NearLimitRequests.LargestValid.Body.Length)} MiB body), which must publish. " +
            $"(1) The local runner (`src/Publisher.Local`, its own process) over HTTP, {sizes.NearLimitConcurrency} at a time. (2) The {build.Label} " +
            $"`bootstrap` with AWS_LAMBDA_FUNCTION_MEMORY_SIZE={FunctionMemoryMiB} under a local Runtime API, fed the REST API events the local " +
            "runner builds from the same requests (on AWS the first two arrive whole too: they are under API Gateway's 10 MB and Lambda's 6 MB). " +
            "Resident memory is VmRSS (peak: VmHWM) of /proc/<pid>/status; the managed heap (after the last collection) and what the GC has " +
            "committed are the function's own figures from its last invocation record. Goals: the local runner's RSS after the requests and " +
            $"the idle at most 1.5x its RSS after the first request; the function at {FunctionMemoryMiB} MB never fails an invocation and peaks under " +
            $"{Format.MiB(FunctionPeakBudgetBytes)} MiB.");

        var local = await MeasureLocalAsync(sizes, context.Status, cancellationToken).ConfigureAwait(false);
        await using var topics = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName] }, cancellationToken).ConfigureAwait(false);
        var function = await MeasureFunctionAsync(build, topics.HostPort, sizes, context.Status, cancellationToken).ConfigureAwait(false);

        var memory = new TextTable(
            "after", "local RSS (MiB)", "local peak", "local GC heap", "local GC committed",
            $"{build.Label} RSS (MiB)", $"{build.Label} peak", $"{build.Label} GC heap", $"{build.Label} GC committed");
        for (var i = 0; i < local.Steps.Count; i++)
        {
            var (l, f) = (local.Steps[i], function.Steps[i]);
            memory.AddRow(l.Name, Format.MiB(l.Rss), Format.MiB(l.Peak), Gc(l.Gc, g => g.HeapBytes), Gc(l.Gc, g => g.CommittedBytes),
                Format.MiB(f.Rss), Format.MiB(f.Peak), Gc(f.Gc, g => g.HeapBytes), Gc(f.Gc, g => g.CommittedBytes));
        }

        var answers = new TextTable("request", "expected answer", "local runner", build.Label + " at " + FunctionMemoryMiB + " MB");
        foreach (var request in NearLimitRequests.Refused.Append(NearLimitRequests.LargestValid))
        {
            var expected = request == NearLimitRequests.LargestValid ? "200" : "413 problem";
            answers.AddRow(request.Name, expected, local.Answers.Text(request.Name), function.Answers.Text(request.Name));
        }

        result.Tables.Add(memory);
        result.Tables.Add(answers);
        result.Charts.Add(Charts.NearLimit(build.Label, local.Steps, function.Steps));

        var firstRequest = local.Steps[1].Rss;
        var afterIdle = local.Steps[^2].Rss;
        result.AddRatio($"local runner RSS after {Format.Count(sizes.NearLimitRequests)} requests and {idle} idle / after the first request", afterIdle, firstRequest, "at most 1.50x is the goal");
        result.AddRatio("local runner peak RSS / RSS after the first request", local.Steps[^1].Peak, firstRequest, "how far the requests in flight lift it");
        result.AddRatio($"{build.Label} peak RSS at {FunctionMemoryMiB} MB / {Format.MiB(FunctionPeakBudgetBytes)} MiB", function.Steps[^1].Peak, FunctionPeakBudgetBytes, "under 1.00x is the goal");
        result.AddRatio($"{build.Label} invocations answered as expected / invocations", function.Answers.Expected, function.Answers.Total, "1.00x: no failed invocation, every answer the right one");
        result.Metrics["local"] = Json(local);
        result.Metrics["function"] = Json(function);
        result.Metrics["functionMemoryMiB"] = FunctionMemoryMiB;
        result.Metrics["requests"] = sizes.NearLimitRequests;

        var wrong = local.Answers.Wrong.Concat(function.Answers.Wrong).ToList();
        if (wrong.Count > 0)
        {
            result.Failure = $"{wrong.Count} requests were not answered as expected, e.g. {wrong[0]}";
        }

        return result;
    }

    private static string Gc(GcReading? reading, Func<GcReading, long> figure) => reading is null ? "-" : Format.MiB(figure(reading));

    private static async Task<Measured> MeasureLocalAsync(Sizes sizes, ProgressReporter status, CancellationToken cancellationToken)
    {
        var names = StepNames(sizes);
        var steps = new List<Step>();
        var answers = new Answers();
        await using var service = await LocalServiceProcess.StartAsync(heapLimit: null, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = service.ApiUrl, Timeout = Timeouts.Step };
        Step Read(bool gc = true) => new(names[steps.Count], service.ResidentBytes(), service.PeakResidentBytes(), gc ? service.LastGc : null);

        steps.Add(Read(gc: false));
        answers.Add(NearLimitRequests.LargestValid.Name, await SendAsync(http, NearLimitRequests.LargestValid, cancellationToken).ConfigureAwait(false));
        steps.Add(Read());
        var sent = 0;
        foreach (var count in Rounds(sizes))
        {
            var first = sent;
            var next = first - 1;
            var workers = Enumerable.Range(0, sizes.NearLimitConcurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < first + count)
                {
                    var request = NearLimitRequests.Refused[i % NearLimitRequests.Refused.Count];
                    answers.Add(request.Name, await SendAsync(http, request, cancellationToken).ConfigureAwait(false));
                    status.Report("local runner requests", i + 1, sizes.NearLimitRequests);
                }
            });
            await Task.WhenAll(workers).ConfigureAwait(false);
            sent += count;
            steps.Add(Read());
        }

        // Idle: no request, so no invocation record either.
        await Task.Delay(sizes.NearLimitIdle, cancellationToken).ConfigureAwait(false);
        steps.Add(Read(gc: false));
        answers.Add(NearLimitRequests.LargestValid.Name, await SendAsync(http, NearLimitRequests.LargestValid, cancellationToken).ConfigureAwait(false));
        steps.Add(Read());
        return new Measured(steps, answers);
    }

    private static async Task<Measured> MeasureFunctionAsync(
        BootstrapBuild build, string topicsHostPort, Sizes sizes, ProgressReporter status, CancellationToken cancellationToken)
    {
        var names = StepNames(sizes);
        var steps = new List<Step>();
        var answers = new Answers();
        var events = NearLimitRequests.Refused.Select(r => (Request: r, Event: r.Event())).ToList();
        var valid = NearLimitRequests.LargestValid.Event();
        var environment = new Dictionary<string, string?> { ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = FunctionMemoryMiB.ToString(CultureInfo.InvariantCulture) };
        await using var bootstrap = await RunningBootstrap.StartAsync(build, topicsHostPort, cancellationToken, environment).ConfigureAwait(false);
        Step Read(bool gc = true) => new(names[steps.Count], bootstrap.ResidentBytes, bootstrap.PeakRssBytes, gc ? bootstrap.LastGc : null);

        steps.Add(Read(gc: false));
        answers.Add(NearLimitRequests.LargestValid.Name, await InvokeAsync(bootstrap, NearLimitRequests.LargestValid, valid, cancellationToken).ConfigureAwait(false));
        steps.Add(Read());
        var sent = 0;
        var stopped = false;
        foreach (var count in Rounds(sizes))
        {
            var first = sent;
            var next = first - 1;

            // Two events queued at a time, so the runtime never waits for the next one; a function that stops
            // answering (killed, hung) ends the round instead of timing out every event left.
            var workers = Enumerable.Range(0, 2).Select(async _ =>
            {
                int i;
                while (!Volatile.Read(ref stopped) && (i = Interlocked.Increment(ref next)) < first + count)
                {
                    var (request, eventJson) = events[i % events.Count];
                    var outcome = await InvokeAsync(bootstrap, request, eventJson, cancellationToken).ConfigureAwait(false);
                    answers.Add(request.Name, outcome);
                    if (outcome.StartsWith(NoAnswer, StringComparison.Ordinal))
                    {
                        Volatile.Write(ref stopped, true);
                    }

                    status.Report(build.Label + " invocations", i + 1, sizes.NearLimitRequests);
                }
            });
            await Task.WhenAll(workers).ConfigureAwait(false);
            sent += count;
            if (stopped)
            {
                // The rest of the readings repeat the last one taken (the chart shows a flat line where the process was gone).
                answers.Wrong.Add($"{build.Label}: the function stopped answering within the first {Format.Count(sent)} events.\n" + string.Join('\n', bootstrap.StderrLines.TakeLast(10)));
                while (steps.Count < names.Count)
                {
                    steps.Add(steps[^1] with { Name = names[steps.Count] });
                }

                return new Measured(steps, answers);
            }

            steps.Add(Read());
        }

        await Task.Delay(sizes.NearLimitIdle, cancellationToken).ConfigureAwait(false);
        steps.Add(Read(gc: false));
        answers.Add(NearLimitRequests.LargestValid.Name, await InvokeAsync(bootstrap, NearLimitRequests.LargestValid, valid, cancellationToken).ConfigureAwait(false));
        steps.Add(Read());
        return new Measured(steps, answers);
    }

    /// <summary>How many requests each round sends: the total split as evenly as it goes.</summary>
    private static IEnumerable<int> Rounds(Sizes sizes) =>
        Enumerable.Range(0, sizes.NearLimitRounds).Select(r => (sizes.NearLimitRequests * (r + 1) / sizes.NearLimitRounds) - (sizes.NearLimitRequests * r / sizes.NearLimitRounds));

    /// <summary>The readings both processes take, in order: start, the first request, each round, idle, the valid publish again.</summary>
    private static List<string> StepNames(Sizes sizes)
    {
        var names = new List<string> { "start", "first request" };
        var sent = 0;
        foreach (var count in Rounds(sizes))
        {
            sent += count;
            names.Add(Format.Count(sent) + " requests");
        }

        names.Add(sizes.NearLimitIdle.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s idle");
        names.Add("valid publish again");
        return names;
    }

    /// <summary>Empty when the local runner answered as expected (a 413 problem, or 200 for the valid publish), else what it answered.</summary>
    private static async Task<string> SendAsync(HttpClient http, NearLimitRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var content = request.Content();
            using var response = await http.PostAsync(new Uri(request.Path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Check(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (HttpRequestException e)
        {
            return $"{NoAnswer}: {e.Message}";
        }
    }

    /// <summary>The same check of the function's proxy response.</summary>
    private static async Task<string> InvokeAsync(RunningBootstrap bootstrap, NearLimitRequest request, string eventJson, CancellationToken cancellationToken)
    {
        var outcome = await bootstrap.InvokeAnyAsync(eventJson, cancellationToken).ConfigureAwait(false);
        if (outcome.TimedOut || outcome.Response is null)
        {
            return outcome.Error is { } error ? $"invocation error: {Truncate(error)}" : $"{NoAnswer}: timed out";
        }

        using var response = JsonDocument.Parse(outcome.Response);
        var root = response.RootElement;
        var type = root.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Content-Type", out var contentType) ? contentType.GetString() : null;
        return Check(request, root.GetProperty("statusCode").GetInt32(), type, root.TryGetProperty("body", out var body) ? body.GetString() ?? string.Empty : string.Empty);
    }

    private static string Check(NearLimitRequest request, int status, string? mediaType, string body)
    {
        var expected = request == NearLimitRequests.LargestValid
            ? status == 200 && body.Contains("\"published\":100", StringComparison.Ordinal)
            : status == 413 && mediaType == ProblemJson && body.Contains("\"status\":413", StringComparison.Ordinal);
        return expected ? string.Empty : $"{request.Name}: {status} {mediaType}: {Truncate(body)}";
    }

    private static string Truncate(string text) => text.Length > 160 ? text[..160] + "..." : text;

    private static JsonObject Json(Measured measured)
    {
        var steps = new JsonArray();
        foreach (var step in measured.Steps)
        {
            steps.Add(new JsonObject
            {
                ["after"] = step.Name,
                ["rssBytes"] = step.Rss,
                ["peakRssBytes"] = step.Peak,
                ["gcHeapBytes"] = step.Gc?.HeapBytes,
                ["gcCommittedBytes"] = step.Gc?.CommittedBytes,
            });
        }

        return new JsonObject
        {
            ["steps"] = steps,
            ["answered"] = measured.Answers.Total,
            ["answeredAsExpected"] = measured.Answers.Expected,
        };
    }

    /// <summary>One reading: after what, resident now, resident at peak, and the managed heap when the function reported it.</summary>
    internal sealed record Step(string Name, long Rss, long Peak, GcReading? Gc);

    private sealed record Measured(IReadOnlyList<Step> Steps, Answers Answers);

    /// <summary>Answers per request, counted as expected or kept as what came instead.</summary>
    private sealed class Answers
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (int Expected, int Total)> _byRequest = new(StringComparer.Ordinal);

        public List<string> Wrong { get; } = [];

        public int Expected => _byRequest.Values.Sum(v => v.Expected);

        public int Total => _byRequest.Values.Sum(v => v.Total);

        public void Add(string request, string outcome)
        {
            lock (_gate)
            {
                var (expected, total) = _byRequest.GetValueOrDefault(request);
                _byRequest[request] = (expected + (outcome.Length == 0 ? 1 : 0), total + 1);
                if (outcome.Length > 0)
                {
                    Wrong.Add(outcome);
                }
            }
        }

        public string Text(string request)
        {
            lock (_gate)
            {
                var (expected, total) = _byRequest.GetValueOrDefault(request);
                return $"{Format.Count(expected)} / {Format.Count(total)}";
            }
        }
    }
}
