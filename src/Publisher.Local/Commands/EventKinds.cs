using System.Text.Json;

namespace Publisher.Local.Commands;

/// <summary>What an event file holds, as far as <c>invoke</c> needs to know: which handler, and whether either can take it.</summary>
internal sealed record EventKinds(string Kind, bool ForSubscriber, bool ApiGateway, string? Error, bool Direct = false)
{
    /// <summary>Reads the top of the event: its shape (REST, HTTP API, a direct verification, something else) and its path.</summary>
    public static EventKinds Classify(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 256 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new EventKinds("a JSON " + root.ValueKind.ToString().ToLowerInvariant(), false, false, null);
            }

            if (root.TryGetProperty("httpMethod", out _))
            {
                return new EventKinds("an API Gateway REST event", PathEndsWithVerify(root, "path", "resource"), true, null);
            }

            if (root.TryGetProperty("routeKey", out _) || root.TryGetProperty("rawPath", out _)
                || (root.TryGetProperty("requestContext", out var context) && context.ValueKind == JsonValueKind.Object && context.TryGetProperty("http", out _)))
            {
                return new EventKinds("an API Gateway HTTP API event", PathEndsWithVerify(root, "rawPath", "routeKey"), true, null);
            }

            if (root.TryGetProperty("topic", out _))
            {
                // The subscriber's direct invocation payload ({"topic": ..., "listenMs": ...}).
                return new EventKinds("a direct verification request", true, false, null, Direct: true);
            }

            return new EventKinds(Describe(root), false, false, null);
        }
        catch (JsonException e)
        {
            return new EventKinds("not JSON", false, false, e.Message);
        }
    }

    /// <summary>Why this event cannot be invoked on the chosen handler, in one line; null when it can.</summary>
    public string? Problem(string file, bool toSubscriber)
    {
        if (Error is not null)
        {
            return $"The event file '{file}' is not valid JSON ({Error}); Lambda refuses such a payload before any handler runs.";
        }

        if (ApiGateway || (toSubscriber && Direct))
        {
            return null;
        }

        var takes = toSubscriber
            ? "the subscriber takes API Gateway events (REST or HTTP API) and direct {\"topic\": ...} requests"
            : "the publisher takes API Gateway events (REST with httpMethod, or HTTP API with version 2.0 and requestContext.http)";
        return $"The event file '{file}' is not an API Gateway event: it is {Kind}, and {takes}.";
    }

    private static bool PathEndsWithVerify(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                string text;
                try
                {
                    text = value.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    // An escape that is not valid Unicode ("\ud800"): not /verify; the publisher answers it.
                    return false;
                }

                return text.TrimEnd('/').EndsWith("/verify", StringComparison.Ordinal);
            }
        }

        return false;
    }

    // Names the common non-API Gateway events, so the message says what the file is.
    private static string Describe(JsonElement root)
    {
        if (root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array && records.GetArrayLength() > 0
            && records[0].ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "eventSource", "EventSource" })
            {
                if (records[0].TryGetProperty(name, out var source) && source.ValueKind == JsonValueKind.String)
                {
                    return $"an event from {source.GetRawText()}";
                }
            }
        }

        if (root.TryGetProperty("detail-type", out _) && root.TryGetProperty("source", out _))
        {
            return "an EventBridge event";
        }

        return root.EnumerateObject().Any() ? "a JSON object without httpMethod, version/rawPath or requestContext.http" : "an empty JSON object";
    }
}
