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
        // JSON is checked for types here, then read like a query string: one set of rules for both.
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = ProblemTypes.Invalid("The request must be a JSON object.");
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var name = property.Name;
                if (!IsKnown(name))
                {
                    problem = ProblemTypes.Invalid(
                        $"Unknown field '{name}'; the allowed fields are topic, listenMs, count, equals and contains.", name);
                    return null;
                }

                if (fields.ContainsKey(name))
                {
                    problem = ProblemTypes.Invalid($"The field '{name}' appears more than once.", name);
                    return null;
                }

                var value = property.Value;
                if (IsNumber(name))
                {
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
                    {
                        problem = ProblemTypes.Invalid($"{name} must be a whole number.", name);
                        return null;
                    }

                    fields[name] = number.ToString(CultureInfo.InvariantCulture);
                }
                else if (value.ValueKind != JsonValueKind.String)
                {
                    problem = ProblemTypes.Invalid($"{name} must be a string.", name);
                    return null;
                }
                else
                {
                    fields[name] = value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            problem = ProblemTypes.Invalid("The request is not valid JSON.");
            return null;
        }

        return FromFields(fields, out problem);
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

        return FromFields(query, out problem);
    }

    private VerifyRequest? FromFields(IReadOnlyDictionary<string, string> fields, out Problem? problem) =>
        TryNumber(fields, "listenMs", out var listenMs, out problem) && TryNumber(fields, "count", out var count, out problem)
            ? Build(fields.GetValueOrDefault("topic"), listenMs, count, fields.GetValueOrDefault("equals"), fields.GetValueOrDefault("contains"), out problem)
            : null;

    private static bool TryNumber(IReadOnlyDictionary<string, string> fields, string name, out int? number, out Problem? problem)
    {
        number = null;
        problem = null;
        if (!fields.TryGetValue(name, out var raw))
        {
            return true;
        }

        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            problem = ProblemTypes.Invalid($"{name} must be a whole number.", name);
            return false;
        }

        number = value;
        return true;
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

    private static bool IsNumber(string name) => name is "listenMs" or "count";
}
