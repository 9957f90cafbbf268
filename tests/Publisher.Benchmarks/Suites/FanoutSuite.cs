using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Benchmarks.Internal;

namespace Publisher.Benchmarks.Suites;

/// <summary>Suite 5: P publishers × S subscribers on the local Topics server, on one topic and on one topic per publisher.</summary>
internal sealed class FanoutSuite : ISuite
{
    /// <summary>Subscriptions that share one client (one HTTP/2 connection), as a process with many subscriptions would.</summary>
    private const int SubscriptionsPerClient = 16;

    public string Name => "fanout";

    public bool NeedsBootstrap => false;

    public async Task<SuiteResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var duration = sizes.FanoutDuration;
        var result = new SuiteResult(
            Name,
            "Fan-out of the local Topics server",
            $"P publishers (one client each, publishing back to back for {duration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s) × " +
            $"S subscribers (up to {SubscriptionsPerClient} per client), all attached before the first publish; on one topic, and on P topics " +
            "(each publisher its own topic with S/P subscribers). Each text value carries its send timestamp. Delivered/s = items received by all " +
            "subscribers / (first publish → last receipt); published/s = acknowledged publishes / publishing time. Lost = acknowledged items a connected subscriber never received and no discontinuity reported: must be 0.");

        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [BenchContext.CacheName], MaxSubscriptionsPerCache = 1000 }, cancellationToken).ConfigureAwait(false);

        // Warm-up: JIT and connection setup of this process would otherwise land in the first scenario.
        await RunScenarioAsync(server.HostPort, 1, 1, manyTopics: false, TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);

        var table = new TextTable("P × S", "topics", "subs/topic", "acked", "published/s", "delivered", "delivered/s", "p50 ms", "p99 ms", "gap-reported", "lost", "duplicates");
        var scenarios = new List<Scenario>();
        var planned = sizes.FanoutShapes.Sum(s => s.Publishers > 1 ? 2 : 1);
        foreach (var (publishers, subscribers) in sizes.FanoutShapes)
        {
            foreach (var manyTopics in publishers > 1 ? new[] { false, true } : [false])
            {
                context.Status.Report("scenario", scenarios.Count, planned);
                var scenario = await RunScenarioAsync(server.HostPort, publishers, subscribers, manyTopics, duration, cancellationToken).ConfigureAwait(false);
                scenarios.Add(scenario);
                table.AddRow(
                    scenario.Shape,
                    Format.Int(scenario.Topics),
                    Format.Int(subscribers / scenario.Topics),
                    Format.Count(scenario.Acknowledged),
                    Format.Rate(scenario.PublishedPerSecond),
                    Format.Count(scenario.Delivered),
                    Format.Rate(scenario.DeliveredPerSecond),
                    Format.Ms(scenario.Latency.Median),
                    Format.Ms(scenario.Latency.Percentile(99)),
                    Format.Count(scenario.GapReported),
                    Format.Count(scenario.Lost),
                    Format.Count(scenario.Duplicates));
            }
        }

        context.Status.Report("scenario", scenarios.Count, planned);
        result.Tables.Add(table);
        result.Charts.Add(Charts.Fanout([.. scenarios.Select(s => (s.Shape + (s.ManyTopics ? ", P topics" : ", 1 topic"), s.PublishedPerSecond, s.DeliveredPerSecond))]));

        var baseline = scenarios[0];
        foreach (var one in scenarios.Where(s => !s.ManyTopics && s != baseline))
        {
            result.AddRatio($"{one.Shape} / {baseline.Shape}, one topic, delivered/s", one.DeliveredPerSecond, baseline.DeliveredPerSecond, "how delivery scales with fan-out");
        }

        foreach (var many in scenarios.Where(s => s.ManyTopics))
        {
            var one = scenarios.First(s => !s.ManyTopics && s.Publishers == many.Publishers && s.Subscribers == many.Subscribers);
            result.AddRatio($"{many.Shape} many topics / one topic, published/s", many.PublishedPerSecond, one.PublishedPerSecond, "publishers on their own topics, each publish fanned out to S/P");
            result.AddRatio($"{many.Shape} many topics / one topic, delivered/s", many.DeliveredPerSecond, one.DeliveredPerSecond, "the same, counted in deliveries");
        }

        if (result.Ratios.Count == 0)
        {
            result.AddRatio("1 × 1 delivered / acknowledged", baseline.Delivered, baseline.Acknowledged, "each acknowledged item reached the subscriber");
        }

        var lost = scenarios.Sum(s => s.Lost);
        var duplicates = scenarios.Sum(s => s.Duplicates);
        var publishErrors = scenarios.Sum(s => s.PublishErrors);
        var subscriptionErrors = scenarios.SelectMany(s => s.SubscriptionErrors).Distinct().ToList();
        result.Notes.Add($"Acknowledged messages lost without a discontinuity: {Format.Count(lost)} (must be 0); duplicates or out of order: {Format.Count(duplicates)}; " +
            $"publish errors: {Format.Count(publishErrors)}; subscription errors: {subscriptionErrors.Count}.");
        result.Metrics["lostWithoutDiscontinuity"] = lost;
        result.Metrics["duplicates"] = duplicates;
        result.Metrics["publishErrors"] = publishErrors;
        result.Metrics["gapReported"] = scenarios.Sum(s => s.GapReported);
        result.Metrics["scenarios"] = new JsonArray([.. scenarios.Select(s => (JsonNode)s.ToJson())]);
        if (lost != 0 || duplicates != 0 || publishErrors != 0 || subscriptionErrors.Count != 0)
        {
            result.Failure = $"fan-out broke its guarantees: lost {lost}, duplicates {duplicates}, publish errors {publishErrors}, subscription errors: {string.Join("; ", subscriptionErrors)}";
        }

        return result;
    }

    private static async Task<Scenario> RunScenarioAsync(
        string hostPort, int publishers, int subscribers, bool manyTopics, TimeSpan duration, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var topicCount = manyTopics ? publishers : 1;
        var topics = Enumerable.Range(0, topicCount).Select(t => $"fan-{run}-{t}").ToArray();
        var credentials = CredentialProvider.ForLocal(hostPort);
        var publisherClients = Enumerable.Range(0, publishers).Select(_ => TopicClient.Create(credentials)).ToList();
        var subscriberClients = Enumerable.Range(0, (subscribers + SubscriptionsPerClient - 1) / SubscriptionsPerClient).Select(_ => TopicClient.Create(credentials)).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probes = Enumerable.Range(0, subscribers).Select(s => new SubscriberProbe(s % topicCount)).ToList();
        var loops = probes.Select((probe, s) => Task.Run(() => probe.RunAsync(subscriberClients[s % subscriberClients.Count], BenchContext.CacheName, topics[probe.TopicIndex], stop.Token), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(publisherClients.Select(c => c.ConnectAsync(cancellationToken))).WaitAsync(Timeouts.Step, cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(probes.Select(p => p.Ready)).WaitAsync(Timeouts.Step, cancellationToken).ConfigureAwait(false);

            var start = Stopwatch.GetTimestamp();
            var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var published = await Task.WhenAll(Enumerable.Range(0, publishers).Select(p =>
                PublishUntilAsync(publisherClients[p], topics[p % topicCount], p, stopAt, cancellationToken))).ConfigureAwait(false);
            var publishEnd = Stopwatch.GetTimestamp();

            var acknowledgedPerTopic = new long[topicCount];
            for (var p = 0; p < publishers; p++)
            {
                acknowledgedPerTopic[p % topicCount] += published[p].Acknowledged;
            }

            foreach (var probe in probes)
            {
                probe.ExpectTotal(acknowledgedPerTopic[probe.TopicIndex]);
            }

            try
            {
                await Task.WhenAll(probes.Select(p => p.Drained)).WaitAsync(Timeouts.Step, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Whatever has not arrived by now counts as lost below.
            }

            var snapshots = probes.Select(p => p.Take()).ToList();
            var latency = new Samples();
            foreach (var snapshot in snapshots)
            {
                latency.AddRange(snapshot.LatenciesMs);
            }

            var lost = probes.Zip(snapshots).Sum(pair => Math.Max(0, acknowledgedPerTopic[pair.First.TopicIndex] - pair.Second.Received - pair.Second.GapMessages));
            var delivered = snapshots.Sum(s => s.Received);
            var lastArrival = snapshots.Max(s => s.LastArrival);
            var seconds = Samples.ElapsedMs(start, Math.Max(lastArrival, start + 1)) / 1000.0;
            var publishSeconds = Samples.ElapsedMs(start, publishEnd) / 1000.0;
            if (latency.Count == 0)
            {
                latency.Add(0); // nothing arrived; the loss count says so
            }

            return new Scenario(
                publishers,
                subscribers,
                manyTopics,
                topicCount,
                acknowledgedPerTopic.Sum(),
                acknowledgedPerTopic.Sum() / publishSeconds,
                published.Sum(p => p.Errors),
                delivered,
                delivered / seconds,
                latency,
                snapshots.Sum(s => s.GapMessages),
                lost,
                snapshots.Sum(s => s.Duplicates),
                [.. probes.Select(p => p.Error).OfType<string>()]);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).WaitAsync(Timeouts.Step, CancellationToken.None).ConfigureAwait(false);
            foreach (var client in publisherClients.Concat(subscriberClients))
            {
                client.Dispose();
            }
        }
    }

    private static async Task<(long Acknowledged, long Errors)> PublishUntilAsync(TopicClient client, string topic, int publisher, long stopAt, CancellationToken cancellationToken)
    {
        long acknowledged = 0, errors = 0, sequence = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var response = await client.PublishAsync(BenchContext.CacheName, topic, SubscriberProbe.Value(publisher, sequence++), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response is TopicPublishResponse.Success)
            {
                acknowledged++;
            }
            else
            {
                errors++;
            }
        }

        return (acknowledged, errors);
    }

    private sealed record Scenario(
        int Publishers,
        int Subscribers,
        bool ManyTopics,
        int Topics,
        long Acknowledged,
        double PublishedPerSecond,
        long PublishErrors,
        long Delivered,
        double DeliveredPerSecond,
        Samples Latency,
        long GapReported,
        long Lost,
        long Duplicates,
        IReadOnlyList<string> SubscriptionErrors)
    {
        public string Shape => string.Create(CultureInfo.InvariantCulture, $"{Publishers} × {Subscribers}");

        public JsonObject ToJson() => new()
        {
            ["publishers"] = Publishers,
            ["subscribers"] = Subscribers,
            ["topics"] = Topics,
            ["acknowledged"] = Acknowledged,
            ["publishedPerSecond"] = PublishedPerSecond,
            ["delivered"] = Delivered,
            ["deliveredPerSecond"] = DeliveredPerSecond,
            ["latencyP50Ms"] = Latency.Median,
            ["latencyP99Ms"] = Latency.Percentile(99),
            ["gapReported"] = GapReported,
            ["lost"] = Lost,
            ["duplicates"] = Duplicates,
            ["publishErrors"] = PublishErrors,
        };
    }
}
