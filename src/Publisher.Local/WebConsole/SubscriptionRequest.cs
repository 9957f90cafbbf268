using System.Globalization;
using System.Text.Json;
using Functions.Common.Http;
using Momento.Topics.Client;

namespace Publisher.Local.WebConsole;

/// <summary>
/// A page's request to subscribe: <c>{"topic": "t"}</c>, optionally <c>"id"</c> (the page names the subscription, so
/// it knows the events that arrive before the answer), <c>"resumeAfter"</c> (the last sequence number the page has)
/// and <c>"page"</c> (its sequence page), as strings or numbers. Strict: unknown fields are refused.
/// </summary>
/// <param name="Id">The page's name for the subscription, or null to have one assigned.</param>
/// <param name="Topic">The topic, by the same rule as the publish API's.</param>
/// <param name="Resume">Where to resume, or null for a live-only subscription.</param>
internal sealed record SubscriptionRequest(string? Id, string Topic, SubscribeOptions? Resume)
{
    private const int MaxIdLength = 64;

    /// <summary>The request, or the problem with it.</summary>
    public static (SubscriptionRequest? Request, Problem? Problem) Parse(ReadOnlySpan<byte> body)
    {
        // The API's own checks of the text first: invalid UTF-8 and lone surrogate escapes are 400s, not reader crashes.
        if (StrictJson.CheckText(body, "The body") is { } fault)
        {
            return (null, fault);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return (null, Problem.Invalid("The body is not JSON: send {\"topic\": \"name\"}."));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, Problem.Invalid("The body must be a JSON object: {\"topic\": \"name\"}."));
            }

            string? topic = null;
            string? id = null;
            ulong resumeAfter = 0;
            ulong page = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    // As the API's strict reader: a repeated member is ambiguous, not "the last one wins".
                    return (null, Problem.Invalid($"{Printable.Truncate(property.Name)} appears more than once.", Printable.Truncate(property.Name)));
                }

                switch (property.Name)
                {
                    case "topic" when property.Value.ValueKind == JsonValueKind.String:
                        topic = property.Value.GetString();
                        break;
                    case "topic":
                        return (null, Problem.Invalid("topic must be a string.", "topic"));
                    case "id" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 and <= MaxIdLength } text && text.All(char.IsAsciiLetterOrDigit):
                        id = text;
                        break;
                    case "id":
                        return (null, Problem.Invalid($"id must be 1 to {MaxIdLength} ASCII letters and digits.", "id"));
                    case "resumeAfter" or "page":
                        if (!TryReadNumber(property.Value, out var number))
                        {
                            return (null, Problem.Invalid($"{property.Name} must be a non-negative integer (a string or a number).", property.Name));
                        }

                        if (property.Name == "page")
                        {
                            page = number;
                        }
                        else
                        {
                            resumeAfter = number;
                        }

                        break;
                    default:
                        return (null, Problem.Invalid("Unknown field: only id, topic, resumeAfter and page are accepted.", Printable.Truncate(property.Name)));
                }
            }

            if (topic is null)
            {
                return (null, Problem.Invalid("topic is required.", "topic"));
            }

            if (RequestRules.TopicName(topic, "topic") is { } badTopic)
            {
                return (null, badTopic);
            }

            var resume = resumeAfter == 0 && page == 0 ? null : new SubscribeOptions { ResumeAtSequenceNumber = resumeAfter, SequencePage = page };
            return (new SubscriptionRequest(id, topic, resume), null);
        }
    }

    private static bool TryReadNumber(JsonElement value, out ulong number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetUInt64(out number),
            JsonValueKind.String => ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number),
            JsonValueKind.Null => true,
            _ => false,
        };
    }
}
