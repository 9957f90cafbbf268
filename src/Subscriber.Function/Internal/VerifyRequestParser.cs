using System.Globalization;
using System.Text.Json;
using Functions.Common.Http;

namespace Subscriber.Function.Internal;

/// <summary>Reads a verification request from JSON (POST body or direct invocation) or a query string (GET).</summary>
internal sealed class VerifyRequestParser
{
    private const int MaxTopicNameLength = 256;
    private const int MaxCount = SubscriberSettings.MaxItemsReturned;

    private readonly SubscriberSettings _settings;

    public VerifyRequestParser(SubscriberSettings settings) => _settings = settings;

    public VerifyRequest? FromJson(ReadOnlySpan<byte> json, out Problem? problem)
    {
        Dictionary<string, JsonElement> fields;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = ProblemTypes.Invalid("The request must be a JSON object.");
                return null;
            }

            fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!IsKnown(property.Name))
                {
                    problem = ProblemTypes.Invalid(
                        $"Unknown field '{property.Name}'; the allowed fields are topic, listenMs, count, equals and contains.", property.Name);
                    return null;
                }

                if (!fields.TryAdd(property.Name, property.Value.Clone()))
                {
                    problem = ProblemTypes.Invalid($"The field '{property.Name}' appears more than once.", property.Name);
                    return null;
                }
            }
        }
        catch (JsonException)
        {
            problem = ProblemTypes.Invalid("The request is not valid JSON.");
            return null;
        }

        string? Text(string name, out Problem? error)
        {
            error = null;
            if (!fields.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                error = ProblemTypes.Invalid($"{name} must be a string.", name);
                return null;
            }

            return value.GetString();
        }

        int? Number(string name, out Problem? error)
        {
            error = null;
            if (!fields.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            {
                error = ProblemTypes.Invalid($"{name} must be a whole number.", name);
                return null;
            }

            return number;
        }

        var topic = Text("topic", out problem);
        if (problem is not null)
        {
            return null;
        }

        var listenMs = Number("listenMs", out problem);
        if (problem is not null)
        {
            return null;
        }

        var count = Number("count", out problem);
        if (problem is not null)
        {
            return null;
        }

        var equals = Text("equals", out problem);
        if (problem is not null)
        {
            return null;
        }

        var contains = Text("contains", out problem);
        return problem is not null ? null : Build(topic, listenMs, count, equals, contains, out problem);
    }

    public VerifyRequest? FromQuery(IReadOnlyDictionary<string, string> query, out Problem? problem)
    {
        foreach (var name in query.Keys)
        {
            if (!IsKnown(name))
            {
                problem = ProblemTypes.Invalid(
                    $"Unknown query parameter '{name}'; the allowed ones are topic, listenMs, count, equals and contains.", name);
                return null;
            }
        }

        int? Number(string name, out Problem? error)
        {
            error = null;
            if (!query.TryGetValue(name, out var raw))
            {
                return null;
            }

            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                error = ProblemTypes.Invalid($"{name} must be a whole number.", name);
                return null;
            }

            return value;
        }

        var listenMs = Number("listenMs", out problem);
        if (problem is not null)
        {
            return null;
        }

        var count = Number("count", out problem);
        if (problem is not null)
        {
            return null;
        }

        return Build(
            query.GetValueOrDefault("topic"), listenMs, count, query.GetValueOrDefault("equals"), query.GetValueOrDefault("contains"), out problem);
    }

    private VerifyRequest? Build(string? topic, int? listenMs, int? count, string? equals, string? contains, out Problem? problem)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            problem = ProblemTypes.Invalid("topic is required and must not be blank.", "topic");
            return null;
        }

        if (topic.Length > MaxTopicNameLength || topic.Any(char.IsControl))
        {
            problem = ProblemTypes.Invalid($"topic must be at most {MaxTopicNameLength} characters without control characters.", "topic");
            return null;
        }

        var maxMs = (int)_settings.MaxListen.TotalMilliseconds;
        var listen = listenMs ?? Math.Min(SubscriberSettings.DefaultListenMs, maxMs);
        if (listen < 1 || listen > maxMs)
        {
            problem = ProblemTypes.Invalid($"listenMs must be from 1 to {maxMs}.", "listenMs");
            return null;
        }

        var given = (count is null ? 0 : 1) + (equals is null ? 0 : 1) + (contains is null ? 0 : 1);
        if (given > 1)
        {
            problem = ProblemTypes.Invalid("Give at most one of count, equals and contains.", "count");
            return null;
        }

        VerifyCondition condition;
        if (equals is not null)
        {
            condition = new VerifyCondition.ItemEquals(equals);
        }
        else if (contains is not null)
        {
            if (contains.Length == 0)
            {
                problem = ProblemTypes.Invalid("contains must not be empty.", "contains");
                return null;
            }

            condition = new VerifyCondition.ItemContains(contains);
        }
        else
        {
            var items = count ?? 1;
            if (items < 1 || items > MaxCount)
            {
                problem = ProblemTypes.Invalid($"count must be from 1 to {MaxCount}.", "count");
                return null;
            }

            condition = new VerifyCondition.Count(items);
        }

        problem = null;
        return new VerifyRequest(topic, TimeSpan.FromMilliseconds(listen), condition);
    }

    private static bool IsKnown(string name) => name is "topic" or "listenMs" or "count" or "equals" or "contains";
}
