using System.Text;
using Functions.Common.Http;
using Publisher.Contracts;

namespace Publisher.Function.Internal;

/// <summary>
/// The parse step: a routed request's body becomes the messages to publish, or the one problem that stops them all.
/// The shape comes from the contract records (<see cref="StrictJson"/>); the rules below are what a shape cannot say.
/// </summary>
internal sealed class PublishRequestReader
{
    private const string TopicNameField = "topicName";
    private const string TopicValueField = "topicValue";
    private const string TopicValueBase64Field = "topicValueBase64";
    private const string MessagesField = "messages";
    private const string IdempotencyKeyField = "idempotencyKey";

    /// <summary>Where problems of <c>/topics/{topicName}</c>'s value point: the raw body is the value.</summary>
    private const string ValueFieldOfRawBody = "body";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly PublisherSettings _settings;

    public PublishRequestReader(PublisherSettings settings) => _settings = settings;

    public Checked<PublishMessage[]> Read(RouteMatch route, ApiRequest request)
    {
        var read = ReadBody(route, request);
        if (read.Failed || request.Headers[HttpContract.IdempotencyKeyHeader] is not { } key)
        {
            return read;
        }

        // The header names the one message of a single-message route; a batch's messages carry keys of their own.
        if (route.Route == PublisherRoute.Batch)
        {
            return Problem.Invalid($"The {HttpContract.IdempotencyKeyHeader} header is not taken on /batch: give each message an {IdempotencyKeyField} of its own.");
        }

        if (!HttpContract.IsValidIdempotencyKey(key))
        {
            return Problem.Invalid($"The {HttpContract.IdempotencyKeyHeader} header must be 1 to {HttpContract.MaxIdempotencyKeyLength} printable ASCII characters, not all spaces.");
        }

        return new[] { read.Value[0] with { IdempotencyKey = key } };
    }

    private Checked<PublishMessage[]> ReadBody(RouteMatch route, ApiRequest request)
    {
        var body = request.Body ?? [];
        if (route.Route == PublisherRoute.TopicByName)
        {
            return FromRawBody(route.TopicName!, request, body);
        }

        if (!MediaTypes.IsJson(request.MediaType))
        {
            var given = request.MediaType is null ? "missing" : "'" + request.MediaType + "'";
            return Problem.UnsupportedMedia($"{route.Template} takes application/json; the request's content type is {given}.");
        }

        if (MediaTypes.CheckUtf8Charset(request.Headers["content-type"]) is { } charset)
        {
            return charset;
        }

        return route.Route == PublisherRoute.Batch ? FromBatch(body) : FromSingle(body);
    }

    private Checked<PublishMessage[]> FromSingle(byte[] body)
    {
        var read = StrictJson.Read(body, PublisherJsonContext.Default.PublishRequest, "The body");
        if (read.Failed)
        {
            return read.Problem;
        }

        var message = FromRequest(read.Value, string.Empty);
        return message.Failed ? message.Problem : new[] { message.Value };
    }

    private Checked<PublishMessage[]> FromBatch(byte[] body)
    {
        var read = StrictJson.Read(body, PublisherJsonContext.Default.BatchRequest, "The body");
        if (read.Failed)
        {
            return read.Problem;
        }

        var items = read.Value.Messages;
        if (items.Count == 0)
        {
            return Problem.Invalid("messages must hold at least one message.", MessagesField);
        }

        if (items.Count > _settings.MaxBatchMessages)
        {
            return Problem.TooLarge($"messages holds {items.Count} messages; the limit is {_settings.MaxBatchMessages}.", MessagesField);
        }

        // All or nothing: every message must pass before any is published.
        var messages = new PublishMessage[items.Count];
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"{MessagesField}[{i}]";
            var message = items[i] is { } item ? FromRequest(item, field + ".") : Problem.Invalid($"{field} must be a JSON object, not null.", field);
            if (message.Failed)
            {
                return message.Problem;
            }

            if (items[i]!.IdempotencyKey is { } key)
            {
                var keyField = field + "." + IdempotencyKeyField;
                if (!HttpContract.IsValidIdempotencyKey(key))
                {
                    return Problem.Invalid($"{keyField} must be 1 to {HttpContract.MaxIdempotencyKeyLength} printable ASCII characters, not all spaces.", keyField);
                }

                // One key names one message: a second use in the same batch could only conflict with the first.
                if (!keys.TryAdd(key, i))
                {
                    return Problem.Invalid($"{keyField} repeats the key of {MessagesField}[{keys[key]}]; each message needs a key of its own.", keyField);
                }

                messages[i] = message.Value with { IdempotencyKey = key };
                continue;
            }

            messages[i] = message.Value;
        }

        return messages;
    }

    private Checked<PublishMessage> FromRequest(PublishRequest request, string prefix)
    {
        if (RequestRules.TopicName(request.TopicName, prefix + TopicNameField) is { } badName)
        {
            return badName;
        }

        PublishMessage message;
        string valueField;
        switch (request)
        {
            case { TopicValue: not null, TopicValueBase64: not null }:
                return Problem.Invalid("Give exactly one of topicValue and topicValueBase64, not both.", prefix + TopicValueBase64Field);
            case { TopicValue: { } text }:
                message = new PublishMessage(request.TopicName, text, null);
                valueField = prefix + TopicValueField;
                break;
            case { TopicValueBase64: { } base64 }:
                valueField = prefix + TopicValueBase64Field;
                var bytes = RequestRules.Base64(base64, valueField);
                if (bytes.Failed)
                {
                    return bytes.Problem;
                }

                message = new PublishMessage(request.TopicName, null, bytes.Value);
                break;
            default:
                return Problem.Invalid("One of topicValue or topicValueBase64 is required.", prefix + TopicValueField);
        }

        return Check(message, valueField, prefix + TopicNameField) is { } problem ? problem : message;
    }

    private Checked<PublishMessage[]> FromRawBody(string topicName, ApiRequest request, byte[] body)
    {
        if (RequestRules.TopicName(topicName, TopicNameField) is { } badName)
        {
            return badName;
        }

        var text = MediaTypes.IsText(request.MediaType);
        if (text && MediaTypes.CheckUtf8Charset(request.Headers["content-type"]) is { } charset)
        {
            return charset;
        }

        if (request.BodyTooLarge)
        {
            // Over the value limit (see RouteMatch.BodyLimit): measured in the event, never decoded.
            return TooLarge(request.BodyLength, ValueFieldOfRawBody);
        }

        PublishMessage message;
        if (text)
        {
            try
            {
                message = new PublishMessage(topicName, StrictUtf8.GetString(body), null);
            }
            catch (DecoderFallbackException)
            {
                return Problem.Invalid("The body is declared as text but is not valid UTF-8.");
            }
        }
        else
        {
            message = new PublishMessage(topicName, null, body);
        }

        return Check(message, ValueFieldOfRawBody, TopicNameField) is { } problem ? problem : new[] { message };
    }

    // The value's size, then the allowlist: the rules every message meets, whichever route it came by.
    private Problem? Check(PublishMessage message, string valueField, string topicField)
    {
        var size = message.ByteCount;
        if (size > _settings.MaxValueBytes)
        {
            return TooLarge(size, valueField);
        }

        return _settings.IsTopicAllowed(message.TopicName) ? null : Problem.TopicForbidden(topicField);
    }

    private Problem TooLarge(long size, string valueField) =>
        Problem.TooLarge($"The value is {size} bytes; the limit is {_settings.MaxValueBytes} bytes.", valueField);
}
