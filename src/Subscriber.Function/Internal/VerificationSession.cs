using Functions.Common.Observability;
using Momento.Topics.Client;
using Publisher.Contracts;

namespace Subscriber.Function.Internal;

/// <summary>One bounded subscription: listen until the condition holds, time runs out, or the stream fails for good.</summary>
internal static class VerificationSession
{
    /// <summary>What the session saw, and the subscription error it ended on, if any.</summary>
    public sealed record Outcome(VerifyResult Result, TopicError? Error);

    public static async Task<Outcome> RunAsync(
        TopicClient client, string cacheName, VerifyRequest request, TimeSpan budget, FunctionLog log, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var items = new List<VerifyItem>();
        var discontinuities = new List<VerifyDiscontinuity>();
        TimeSpan? subscribedAfter = null;
        var (heartbeats, itemsSeen, conditionMet, truncated) = (0, 0, false, false);
        TopicError? error = null;
        using var timeout = new CancellationTokenSource(budget, time);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await foreach (var topicEvent in client.SubscribeAsync(cacheName, request.Topic, cancellationToken: listening.Token).ConfigureAwait(false))
            {
                switch (topicEvent)
                {
                    case TopicEvent.Heartbeat:
                        subscribedAfter ??= time.GetElapsedTime(started);
                        heartbeats++;
                        LogEvent(log, request.Topic, "heartbeat", null);
                        break;
                    case TopicEvent.TextItem or TopicEvent.BinaryItem:
                        itemsSeen++;
                        if (items.Count < HttpContract.MaxVerifyCount)
                        {
                            items.Add(ToItem(topicEvent));
                        }
                        else
                        {
                            truncated = true;
                        }

                        LogEvent(log, request.Topic, topicEvent is TopicEvent.TextItem ? "text" : "binary", topicEvent);
                        conditionMet = Satisfies(request.Condition, topicEvent, itemsSeen);
                        break;
                    case TopicEvent.Discontinuity d:
                        discontinuities.Add(new VerifyDiscontinuity(d.LastSequenceNumber, d.NewSequenceNumber, d.NewSequencePage));
                        LogEvent(log, request.Topic, "discontinuity", topicEvent);
                        break;
                    case TopicEvent.Error failure:
                        error = failure.TopicError;
                        log.Warn("subscription failed", w =>
                        {
                            w.WriteString("topic", request.Topic);
                            w.WriteString("errorCode", failure.TopicError.Code.ToMomentoName());
                            w.WriteString("error", failure.TopicError.Message);
                        });
                        break;
                }

                if (conditionMet || error is not null)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time ran out: the result says what was seen.
        }

        var result = new VerifyResult
        {
            Topic = request.Topic,
            Condition = request.Condition.ToString(),
            ConditionMet = conditionMet,
            Subscribed = subscribedAfter is not null,
            SubscribedMs = subscribedAfter is { } after ? Math.Round(after.TotalMilliseconds, 3) : null,
            ListenedMs = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 3),
            Heartbeats = heartbeats,
            Items = items,
            Duplicates = items.Count - items.Select(i => (i.Type, i.Text, i.Base64 is null ? null : Convert.ToBase64String(i.Base64))).Distinct().Count(),
            ItemsTruncated = truncated,
            Discontinuities = discontinuities,
        };
        return new Outcome(result, error);
    }

    private static VerifyItem ToItem(TopicEvent item) => item switch
    {
        TopicEvent.TextItem text => new VerifyItem
        {
            Type = "text",
            Text = text.Value,
            SequenceNumber = text.SequenceNumber,
            SequencePage = text.SequencePage,
            PublisherId = text.PublisherId,
        },
        TopicEvent.BinaryItem binary => new VerifyItem
        {
            Type = "binary",
            Base64 = binary.Value,
            SequenceNumber = binary.SequenceNumber,
            SequencePage = binary.SequencePage,
            PublisherId = binary.PublisherId,
        },
        _ => throw new ArgumentException("Not an item.", nameof(item)),
    };

    private static bool Satisfies(VerifyCondition condition, TopicEvent item, int itemsSeen) => condition switch
    {
        VerifyCondition.Count count => itemsSeen >= count.Items,
        VerifyCondition.ItemEquals equals => item is TopicEvent.TextItem text && text.Value == equals.Probe,
        VerifyCondition.ItemContains contains => item is TopicEvent.TextItem text && text.Value.Contains(contains.Probe, StringComparison.Ordinal),
        _ => false,
    };

    // Every event is logged so the function doubles as a topic watcher in CloudWatch; values never are.
    private static void LogEvent(FunctionLog log, string topic, string kind, TopicEvent? topicEvent) =>
        log.Info("topic event", w =>
        {
            w.WriteString("topic", topic);
            w.WriteString("kind", kind);
            switch (topicEvent)
            {
                case TopicEvent.TextItem text:
                    w.WriteNumber("sequenceNumber", text.SequenceNumber);
                    w.WriteNumber("sequencePage", text.SequencePage);
                    w.WriteNumber("bytes", System.Text.Encoding.UTF8.GetByteCount(text.Value));
                    break;
                case TopicEvent.BinaryItem binary:
                    w.WriteNumber("sequenceNumber", binary.SequenceNumber);
                    w.WriteNumber("sequencePage", binary.SequencePage);
                    w.WriteNumber("bytes", binary.Value.Length);
                    break;
                case TopicEvent.Discontinuity d:
                    w.WriteNumber("lastSequenceNumber", d.LastSequenceNumber);
                    w.WriteNumber("newSequenceNumber", d.NewSequenceNumber);
                    w.WriteNumber("newSequencePage", d.NewSequencePage);
                    break;
            }
        });
}
