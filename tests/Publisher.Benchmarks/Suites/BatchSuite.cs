using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Momento.Topics.Client;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>Suite 4: one <c>POST /batch</c> of n messages against n single <c>POST /topics</c>, end to end.</summary>
internal sealed class BatchSuite : ISuite
{
    public string Name => "batch";

    public bool NeedsBootstrap => false;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var n = context.Sizes.BatchMessages;
        var repeats = context.Sizes.BatchRepeats;
        var result = new SuiteResult(
            Name,
            "Batch",
            $"{n} messages through the local HTTP API (REST proxy event → handler → local Topics server), {repeats} rounds after one warm-up, modes alternating: " +
            $"one `POST /batch` against {n} sequential `POST /topics`. Acknowledged = until the last HTTP answer; " +
            "delivered = until a subscriber connected beforehand has received all of them. Medians of the rounds.");

        await using var rig = await LocalApiRig.StartAsync(cancellationToken).ConfigureAwait(false);
        var http = rig.Http;
        using var subscriberClient = TopicClient.Create(CredentialProvider.ForLocal(rig.Server.HostPort));
        var run = Guid.NewGuid().ToString("N")[..8];
        var batchTopic = "batch-" + run;
        var singleTopic = "single-" + run;
        await using var batchWatcher = await DeliveryWatcher.StartAsync(subscriberClient, batchTopic, cancellationToken).ConfigureAwait(false);
        await using var singleWatcher = await DeliveryWatcher.StartAsync(subscriberClient, singleTopic, cancellationToken).ConfigureAwait(false);

        var batch = new Mode($"1 × POST /batch ({n} messages)", 1);
        var singles = new Mode($"{n} × POST /topics (sequential)", n);
        for (var round = -1; round < repeats; round++)
        {
            var sent = round + 2; // rounds so far, the warm-up included
            context.Status.Report("rounds", round + 1, repeats);
            var batchFirst = round % 2 == 0;
            for (var k = 0; k < 2; k++)
            {
                if (batchFirst == (k == 0))
                {
                    var start = Stopwatch.GetTimestamp();
                    await PostBatchAsync(http, batchTopic, round, n, cancellationToken).ConfigureAwait(false);
                    var acknowledged = Stopwatch.GetTimestamp();
                    var delivered = await batchWatcher.WhenCountAsync(sent * n).WaitAsync(Timeouts.Step, cancellationToken).ConfigureAwait(false);
                    batch.Record(round, start, acknowledged, delivered);
                }
                else
                {
                    var start = Stopwatch.GetTimestamp();
                    for (var i = 0; i < n; i++)
                    {
                        await PostSingleAsync(http, singleTopic, Value(round, i), cancellationToken).ConfigureAwait(false);
                    }

                    var acknowledged = Stopwatch.GetTimestamp();
                    var delivered = await singleWatcher.WhenCountAsync(sent * n).WaitAsync(Timeouts.Step, cancellationToken).ConfigureAwait(false);
                    singles.Record(round, start, acknowledged, delivered);
                }
            }
        }

        var table = new TextTable("mode", "HTTP requests", "acknowledged median ms", "delivered median ms", "per message ms", "vs batch (acknowledged)");
        foreach (var mode in new[] { batch, singles })
        {
            table.AddRow(
                mode.Name,
                Format.Int(mode.Requests),
                Format.Ms(mode.Acknowledged.Median),
                Format.Ms(mode.Delivered.Median),
                Format.Ms(mode.Acknowledged.Median / n),
                Format.Ratio(mode.Acknowledged.Median / batch.Acknowledged.Median));
            result.Metrics[mode.Name] = new JsonObject
            {
                ["acknowledgedMedianMs"] = mode.Acknowledged.Median,
                ["deliveredMedianMs"] = mode.Delivered.Median,
                ["requests"] = mode.Requests,
            };
        }

        result.Tables.Add(table);
        result.AddRatio($"{n} singles / 1 batch, acknowledged (median)", singles.Acknowledged.Median, batch.Acknowledged.Median, "how much longer the same messages take one request each");
        result.AddRatio($"{n} singles / 1 batch, delivered (median)", singles.Delivered.Median, batch.Delivered.Median, "the same, until a subscriber has them all");
        result.Metrics["messages"] = n;
        result.Metrics["rounds"] = repeats;
        return result;
    }

    private static string Value(int round, int index) => string.Create(CultureInfo.InvariantCulture, $"round {round} message {index}");

    private static async Task PostBatchAsync(HttpClient http, string topic, int round, int n, CancellationToken cancellationToken)
    {
        var body = JsonBody.Batch(Enumerable.Range(0, n).Select(i => (topic, Value(round, i))));
        var answer = await PostAsync(http, "/batch", body, cancellationToken).ConfigureAwait(false);
        var published = JsonBody.PublishedCount(answer);
        if (published != n)
        {
            throw new InvalidOperationException($"POST /batch published {published} of {n} messages.");
        }
    }

    private static Task PostSingleAsync(HttpClient http, string topic, string value, CancellationToken cancellationToken) =>
        PostAsync(http, "/topics", JsonBody.Message(topic, value), cancellationToken);

    private static async Task<string> PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK
            ? answer
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {answer}");
    }

    private sealed class Mode(string name, int requests)
    {
        public string Name => name;

        public int Requests => requests;

        public Samples Acknowledged { get; } = new();

        public Samples Delivered { get; } = new();

        public void Record(int round, long start, long acknowledged, long delivered)
        {
            if (round < 0)
            {
                return; // the warm-up round
            }

            Acknowledged.AddElapsed(start, acknowledged);
            // A subscriber may see the last message before the HTTP answer is back; delivery ends no earlier than the start.
            Delivered.AddElapsed(start, Math.Max(start, delivered));
        }
    }
}
