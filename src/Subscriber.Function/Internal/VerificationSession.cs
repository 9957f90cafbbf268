using Functions.Common.Observability;
using Momento.Topics.Client;

namespace Subscriber.Function.Internal;

/// <summary>One bounded subscription: listen until the condition holds, time runs out, or the stream fails for good.</summary>
internal static class VerificationSession
{
    public static async Task<VerifyResult> RunAsync(
        TopicClient client, string cacheName, VerifyRequest request, TimeSpan budget, FunctionLog log, CancellationToken cancellationToken)
    {
        var time = log.Time;
        var started = time.GetTimestamp();
        var result = new VerifyResult { Topic = request.Topic, Condition = request.Condition.ToString()! };
        var itemsSeen = 0;
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        listening.CancelAfter(budget);
        try
        {
            await foreach (var topicEvent in client.SubscribeAsync(cacheName, request.Topic, cancellationToken: listening.Token).ConfigureAwait(false))
            {
                switch (topicEvent)
                {
                    case TopicEvent.Heartbeat:
                        if (!result.Subscribed)
                        {
                            result.Subscribed = true;
                            result.SubscribedAfter = time.GetElapsedTime(started);
                        }

                        result.Heartbeats++;
                        LogEvent(log, request.Topic, "heartbeat", null);
                        break;
                    case TopicEvent.TextItem or TopicEvent.BinaryItem:
                        itemsSeen++;
                        if (result.Items.Count < SubscriberSettings.MaxItemsReturned)
                        {
                            result.Items.Add(topicEvent);
                        }
                        else
                        {
                            result.ItemsTruncated = true;
                        }

                        LogEvent(log, request.Topic, topicEvent is TopicEvent.TextItem ? "text" : "binary", topicEvent);
                        if (Satisfies(request.Condition, topicEvent, itemsSeen))
                        {
                            result.ConditionMet = true;
                        }

                        break;
                    case TopicEvent.Discontinuity discontinuity:
                        result.Discontinuities.Add(discontinuity);
                        LogEvent(log, request.Topic, "discontinuity", topicEvent);
                        break;
                    case TopicEvent.Error error:
                        result.Error = error.TopicError;
                        log.Warn("subscription failed", w =>
                        {
                            w.WriteString("topic", request.Topic);
                            w.WriteString("errorCode", error.TopicError.Code.ToMomentoName());
                            w.WriteString("error", error.TopicError.Message);
                        });
                        break;
                }

                if (result.ConditionMet || result.Error is not null)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time ran out: the result says what was seen.
        }

        result.Listened = time.GetElapsedTime(started);
        return result;
    }

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
