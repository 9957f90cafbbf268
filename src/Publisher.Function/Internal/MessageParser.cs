using System.Text;
using System.Text.Json;
using Functions.Common.Http;

namespace Publisher.Function.Internal;

/// <summary>Validates request bodies by walking the JSON, so every rule gets its own message and field.</summary>
internal sealed class MessageParser
{
    private const string TopicName = "topicName";
    private const string TopicValue = "topicValue";
    private const string TopicValueBase64 = "topicValueBase64";
    private const string Messages = "messages";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    private readonly PublisherSettings _settings;

    public MessageParser(PublisherSettings settings) => _settings = settings;

    /// <summary>Parses a body as JSON; invalid JSON is a 400 problem.</summary>
    public static JsonDocument? ParseJson(byte[] body, out Problem? problem)
    {
        try
        {
            problem = null;
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            problem = ProblemTypes.Invalid("The body is not valid JSON.");
            return null;
        }
    }

    /// <summary>Validates <c>{"topicName", "topicValue" | "topicValueBase64"}</c>.</summary>
    public PublishMessage? ParseMessage(JsonElement element, string fieldPrefix, out Problem? problem)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = ProblemTypes.Invalid(
                fieldPrefix.Length == 0 ? "The body must be a JSON object." : $"{fieldPrefix.TrimEnd('.')} must be a JSON object.",
                fieldPrefix.Length == 0 ? null : fieldPrefix.TrimEnd('.'));
            return null;
        }

        JsonElement? name = null, text = null, base64 = null;
        foreach (var property in element.EnumerateObject())
        {
            var field = fieldPrefix + property.Name;
            ref JsonElement? slot = ref name;
            switch (property.Name)
            {
                case TopicName:
                    slot = ref name;
                    break;
                case TopicValue:
                    slot = ref text;
                    break;
                case TopicValueBase64:
                    slot = ref base64;
                    break;
                default:
                    problem = ProblemTypes.Invalid(
                        $"Unknown field '{Printable(property.Name)}'; the allowed fields are topicName, topicValue and topicValueBase64.",
                        field);
                    return null;
            }

            if (slot is not null)
            {
                problem = ProblemTypes.Invalid($"The field '{property.Name}' appears more than once.", field);
                return null;
            }

            slot = property.Value;
        }

        var topic = ValidateTopicName(name, fieldPrefix + TopicName, out problem);
        if (topic is null)
        {
            return null;
        }

        if (text is not null && base64 is not null)
        {
            problem = ProblemTypes.Invalid("Give exactly one of topicValue and topicValueBase64, not both.", fieldPrefix + TopicValueBase64);
            return null;
        }

        PublishMessage message;
        if (text is { } t)
        {
            if (t.ValueKind != JsonValueKind.String)
            {
                problem = ProblemTypes.Invalid($"topicValue must be a string, not {Describe(t.ValueKind)}.", fieldPrefix + TopicValue);
                return null;
            }

            message = new PublishMessage(topic, t.GetString()!, null);
        }
        else if (base64 is { } b)
        {
            if (b.ValueKind != JsonValueKind.String)
            {
                problem = ProblemTypes.Invalid($"topicValueBase64 must be a string, not {Describe(b.ValueKind)}.", fieldPrefix + TopicValueBase64);
                return null;
            }

            if (!b.TryGetBytesFromBase64(out var bytes))
            {
                problem = ProblemTypes.Invalid("topicValueBase64 is not valid base64.", fieldPrefix + TopicValueBase64);
                return null;
            }

            message = new PublishMessage(topic, null, bytes);
        }
        else
        {
            problem = ProblemTypes.Invalid("One of topicValue or topicValueBase64 is required.", fieldPrefix + TopicValue);
            return null;
        }

        problem = CheckValue(message, fieldPrefix + (message.Text is not null ? TopicValue : TopicValueBase64));
        return problem is null ? message : null;
    }

    /// <summary>Validates <c>{"messages": [...]}</c>: every message must be valid before any is published.</summary>
    public IReadOnlyList<PublishMessage>? ParseBatch(JsonElement element, out Problem? problem)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = ProblemTypes.Invalid("The body must be a JSON object with a \"messages\" array.");
            return null;
        }

        JsonElement? list = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name != Messages)
            {
                problem = ProblemTypes.Invalid($"Unknown field '{Printable(property.Name)}'; the only allowed field is messages.", property.Name);
                return null;
            }

            if (list is not null)
            {
                problem = ProblemTypes.Invalid("The field 'messages' appears more than once.", Messages);
                return null;
            }

            list = property.Value;
        }

        if (list is not { ValueKind: JsonValueKind.Array } array)
        {
            problem = ProblemTypes.Invalid(list is null ? "messages is required." : "messages must be an array.", Messages);
            return null;
        }

        var count = array.GetArrayLength();
        if (count == 0)
        {
            problem = ProblemTypes.Invalid("messages must hold at least one message.", Messages);
            return null;
        }

        if (count > _settings.MaxBatchMessages)
        {
            problem = ProblemTypes.TooLarge($"messages holds {count} messages; the limit is {_settings.MaxBatchMessages}.", Messages);
            return null;
        }

        var result = new List<PublishMessage>(count);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var message = ParseMessage(item, $"messages[{index}].", out problem);
            if (message is null)
            {
                return null;
            }

            result.Add(message);
            index++;
        }

        problem = null;
        return result;
    }

    /// <summary>Validates a topic name taken from the path of <c>POST /topics/{topicName}</c>.</summary>
    public string? ValidatePathTopic(string topic, out Problem? problem) =>
        ValidateTopicName(topic, TopicName, out problem);

    /// <summary>Checks the value size and the allowlist for an already-parsed message.</summary>
    public Problem? CheckValue(PublishMessage message, string valueField)
    {
        var size = message.ByteCount;
        if (size > _settings.MaxValueBytes)
        {
            return ProblemTypes.TooLarge($"The value is {size} bytes; the limit is {_settings.MaxValueBytes} bytes.", valueField);
        }

        return _settings.IsTopicAllowed(message.TopicName)
            ? null
            : ProblemTypes.TopicForbidden(valueField[..(valueField.LastIndexOf('.') + 1)] + TopicName);
    }

    private static string? ValidateTopicName(JsonElement? element, string field, out Problem? problem)
    {
        if (element is not { } value)
        {
            problem = ProblemTypes.Invalid("topicName is required.", field);
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problem = ProblemTypes.Invalid($"topicName must be a string, not {Describe(value.ValueKind)}.", field);
            return null;
        }

        return ValidateTopicName(value.GetString()!, field, out problem);
    }

    private static string? ValidateTopicName(string topic, string field, out Problem? problem)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            problem = ProblemTypes.Invalid("topicName must not be blank.", field);
            return null;
        }

        if (topic.Length > PublisherSettings.MaxTopicNameLength)
        {
            problem = ProblemTypes.Invalid(
                $"topicName is {topic.Length} characters; the limit is {PublisherSettings.MaxTopicNameLength}.", field);
            return null;
        }

        if (topic.Any(char.IsControl))
        {
            problem = ProblemTypes.Invalid("topicName must not contain control characters.", field);
            return null;
        }

        problem = null;
        return topic;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    // Field names are caller input: keep them short and printable in messages and logs.
    private static string Printable(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, 64));
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, 64)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return name.Length > 64 ? builder.Append('…').ToString() : builder.ToString();
    }
}
