using System.Text.Json;
using Momento.Topics.Client;

namespace Subscriber.Function;

/// <summary>What a verification session saw.</summary>
public sealed class VerifyResult
{
    /// <summary>The topic listened to.</summary>
    public required string Topic { get; init; }

    /// <summary>The condition, as text (<c>count:N</c>, <c>equals</c>, <c>contains</c>).</summary>
    public required string Condition { get; init; }

    /// <summary>True when the condition held before time ran out.</summary>
    public bool ConditionMet { get; set; }

    /// <summary>True once the subscription's first heartbeat arrived.</summary>
    public bool Subscribed { get; set; }

    /// <summary>Time from the start to the first heartbeat.</summary>
    public TimeSpan? SubscribedAfter { get; set; }

    /// <summary>Time spent listening.</summary>
    public TimeSpan Listened { get; set; }

    /// <summary>Heartbeats received.</summary>
    public int Heartbeats { get; set; }

    /// <summary>Items received, in order (at most <see cref="SubscriberSettings.MaxItemsReturned"/>).</summary>
    public List<TopicEvent> Items { get; } = [];

    /// <summary>True when more items arrived than are returned.</summary>
    public bool ItemsTruncated { get; set; }

    /// <summary>Discontinuities reported by the service.</summary>
    public List<TopicEvent.Discontinuity> Discontinuities { get; } = [];

    /// <summary>The terminal subscription error, if the session ended on one.</summary>
    public TopicError? Error { get; set; }

    /// <summary>Writes the result as the JSON object callers receive.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("topic", Topic);
        w.WriteString("condition", Condition);
        w.WriteBoolean("conditionMet", ConditionMet);
        w.WriteBoolean("subscribed", Subscribed);
        if (SubscribedAfter is { } subscribedAfter)
        {
            w.WriteNumber("subscribedMs", Math.Round(subscribedAfter.TotalMilliseconds, 3));
        }

        w.WriteNumber("listenedMs", Math.Round(Listened.TotalMilliseconds, 3));
        w.WriteNumber("heartbeats", Heartbeats);
        w.WriteStartArray("items");
        foreach (var item in Items)
        {
            w.WriteStartObject();
            switch (item)
            {
                case TopicEvent.TextItem text:
                    w.WriteString("type", "text");
                    w.WriteString("text", text.Value);
                    w.WriteNumber("sequenceNumber", text.SequenceNumber);
                    w.WriteNumber("sequencePage", text.SequencePage);
                    w.WriteString("publisherId", text.PublisherId);
                    break;
                case TopicEvent.BinaryItem binary:
                    w.WriteString("type", "binary");
                    w.WriteBase64String("base64", binary.Value);
                    w.WriteNumber("sequenceNumber", binary.SequenceNumber);
                    w.WriteNumber("sequencePage", binary.SequencePage);
                    w.WriteString("publisherId", binary.PublisherId);
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean("itemsTruncated", ItemsTruncated);
        w.WriteStartArray("discontinuities");
        foreach (var d in Discontinuities)
        {
            w.WriteStartObject();
            w.WriteNumber("lastSequenceNumber", d.LastSequenceNumber);
            w.WriteNumber("newSequenceNumber", d.NewSequenceNumber);
            w.WriteNumber("newSequencePage", d.NewSequencePage);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
