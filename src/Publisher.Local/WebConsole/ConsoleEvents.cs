using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Momento.Topics.Client;

namespace Publisher.Local.WebConsole;

/// <summary>
/// The Server-Sent Events a page receives, each framed as <c>event: NAME\ndata: JSON\n\n</c>. The JSON is one line
/// (strings escape line breaks), and 64-bit sequence numbers and pages are strings, which JavaScript numbers cannot hold.
/// </summary>
internal static class ConsoleEvents
{
    // What an invocation line says that the console shows; the EMF metric fields and directive are left out.
    private static readonly string[] InvocationFields =
        ["timestamp", "level", "route", "topic", "messages", "bytes", "status", "errorCode", "error", "durationMs", "publishMs", "coldStart", "apiRequestId"];

    /// <summary>The first event of a stream: the page's id (for its subscription requests) and the limits.</summary>
    public static byte[] Hello(string pageId, string cacheName, ConsoleLimits limits) => Frame("hello", w =>
    {
        w.WriteString("page", pageId);
        w.WriteString("cache", cacheName);
        w.WriteNumber("maxSubscriptions", limits.MaxSubscriptionsPerPage);
    });

    /// <summary>One subscription event, as the project's client yielded it.</summary>
    public static byte[] FromTopicEvent(string subscriptionId, string topic, TopicEvent topicEvent) => topicEvent switch
    {
        TopicEvent.TextItem text => Frame("item", w =>
        {
            Subscription(w, subscriptionId, topic);
            Position(w, "seq", text.SequenceNumber, "page", text.SequencePage);
            w.WriteString("kind", "text");
            w.WriteString("value", text.Value);
            w.WriteNumber("bytes", Encoding.UTF8.GetByteCount(text.Value));
        }),
        TopicEvent.BinaryItem binary => Frame("item", w =>
        {
            Subscription(w, subscriptionId, topic);
            Position(w, "seq", binary.SequenceNumber, "page", binary.SequencePage);
            w.WriteString("kind", "binary");
            w.WriteString("base64", Convert.ToBase64String(binary.Value));
            w.WriteNumber("bytes", binary.Value.Length);
        }),
        TopicEvent.Heartbeat => Frame("heartbeat", w => Subscription(w, subscriptionId, topic)),
        TopicEvent.Discontinuity gap => Frame("discontinuity", w =>
        {
            Subscription(w, subscriptionId, topic);
            Position(w, "last", gap.LastSequenceNumber, "next", gap.NewSequenceNumber);
            w.WriteString("page", Number(gap.NewSequencePage));

            // On one page, new - last - 1 items were skipped; a next number at or below the last means the topic
            // restarted on a new page, where no count is meaningful.
            if (gap.NewSequenceNumber > gap.LastSequenceNumber)
            {
                w.WriteString("skipped", Number(gap.NewSequenceNumber - gap.LastSequenceNumber - 1));
            }
            else
            {
                w.WriteNull("skipped");
            }
        }),
        TopicEvent.Error error => Frame("error", w =>
        {
            Subscription(w, subscriptionId, topic);
            w.WriteString("code", error.TopicError.Code.ToMomentoName());
            w.WriteString("message", error.TopicError.Message);
        }),
        _ => Frame("unknown", w => Subscription(w, subscriptionId, topic)),
    };

    /// <summary>The subscription ended: stopped by the page, or after its error.</summary>
    public static byte[] Ended(string subscriptionId, string topic, string reason) => Frame("ended", w =>
    {
        Subscription(w, subscriptionId, topic);
        w.WriteString("reason", reason);
    });

    /// <summary>Events this page lost because it read more slowly than they came.</summary>
    public static byte[] Dropped(long count) => Frame("dropped", w => w.WriteNumber("count", count));

    /// <summary>One invocation record of a function, with the fields a person watching wants.</summary>
    public static byte[]? Invocation(string logLine)
    {
        using var document = ParseObject(logLine);
        if (document is null || !document.RootElement.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String
            || message.GetString() != "invocation")
        {
            return null;
        }

        var record = document.RootElement;
        return Frame("invocation", w =>
        {
            foreach (var name in InvocationFields)
            {
                if (record.TryGetProperty(name, out var field) && field.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    w.WritePropertyName(name);
                    field.WriteTo(w);
                }
            }
        });
    }

    private static JsonDocument? ParseObject(string line)
    {
        try
        {
            var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Subscription(Utf8JsonWriter w, string subscriptionId, string topic)
    {
        w.WriteString("sub", subscriptionId);
        w.WriteString("topic", topic);
    }

    private static void Position(Utf8JsonWriter w, string firstName, ulong first, string secondName, ulong second)
    {
        w.WriteString(firstName, Number(first));
        w.WriteString(secondName, Number(second));
    }

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Frame(string name, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.ASCII.GetBytes("event: " + name + "\ndata: "));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
