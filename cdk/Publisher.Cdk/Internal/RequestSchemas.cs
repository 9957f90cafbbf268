using Amazon.CDK.AWS.APIGateway;

namespace Publisher.Cdk.Internal;

/// <summary>
/// JSON schemas (draft 4, what API Gateway validates with) mirroring the publisher's own rules,
/// so malformed requests are refused before they cost an invocation. The function still checks
/// everything, including what a schema cannot say (UTF-8 byte length, duplicate fields).
/// </summary>
internal static class RequestSchemas
{
    /// <summary>Longest topic name the publisher accepts.</summary>
    public const int MaxTopicNameLength = 256;

    /// <summary>Momento's limit on one message; as characters this is an upper bound (the function counts UTF-8 bytes).</summary>
    public const int MaxValueLength = 4096;

    /// <summary>Base64 of <see cref="MaxValueLength"/> bytes.</summary>
    public const int MaxValueBase64Length = (MaxValueLength + 2) / 3 * 4;

    public const int MaxBatchMessages = 100;

    /// <summary>
    /// No control characters (C0, DEL, C1) and at least one character that is neither space nor
    /// control, as the function checks. A bare <c>\S</c> would let a control character be that one,
    /// and a final <c>$</c> would let Java's and .NET's regex engines accept one trailing line break,
    /// so the end is "no character follows" instead.
    /// </summary>
    public const string TopicNamePattern =
        @"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*(?![\s\S])";

    /// <summary>Canonical padded base64.</summary>
    public const string Base64Pattern = @"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![\s\S])";

    /// <summary><c>{"topicName": "...", "topicValue": "..."}</c> or with <c>topicValueBase64</c> instead: exactly one value.</summary>
    public static JsonSchema PublishRequest() => Message(withSchemaVersion: true, "PublishRequest");

    /// <summary><c>{"messages": [ message, ... ]}</c> with 1 to 100 messages.</summary>
    public static JsonSchema BatchRequest() => new()
    {
        Schema = JsonSchemaVersion.DRAFT4,
        Title = "BatchRequest",
        Type = JsonSchemaType.OBJECT,
        AdditionalProperties = false,
        Required = ["messages"],
        Properties = new Dictionary<string, IJsonSchema>
        {
            ["messages"] = new JsonSchema
            {
                Type = JsonSchemaType.ARRAY,
                MinItems = 1,
                MaxItems = MaxBatchMessages,
                Items = Message(withSchemaVersion: false, title: null),
            },
        },
    };

    private static JsonSchema Message(bool withSchemaVersion, string? title) => new()
    {
        Schema = withSchemaVersion ? JsonSchemaVersion.DRAFT4 : null,
        Title = title,
        Type = JsonSchemaType.OBJECT,
        AdditionalProperties = false,
        Required = ["topicName"],
        Properties = new Dictionary<string, IJsonSchema>
        {
            ["topicName"] = new JsonSchema
            {
                Type = JsonSchemaType.STRING,
                MinLength = 1,
                MaxLength = MaxTopicNameLength,
                Pattern = TopicNamePattern,
            },
            ["topicValue"] = new JsonSchema
            {
                Type = JsonSchemaType.STRING,
                MaxLength = MaxValueLength,
            },
            ["topicValueBase64"] = new JsonSchema
            {
                Type = JsonSchemaType.STRING,
                MaxLength = MaxValueBase64Length,
                Pattern = Base64Pattern,
            },
        },
        OneOf =
        [
            new JsonSchema { Required = ["topicValue"] },
            new JsonSchema { Required = ["topicValueBase64"] },
        ],
    };
}
