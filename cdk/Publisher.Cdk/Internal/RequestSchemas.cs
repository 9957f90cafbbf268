using Amazon.CDK.AWS.APIGateway;
using Functions.Common.Http;

namespace Publisher.Cdk.Internal;

/// <summary>
/// JSON schemas (draft 4, what API Gateway validates with) of the publisher's own rules, from the same
/// <see cref="HttpContract"/> the function reads, so malformed requests are refused before they cost an
/// invocation. The function still checks everything, including what a schema cannot say (UTF-8 byte
/// length, duplicate fields). A topic value's limit is in bytes; as characters it is an upper bound.
/// </summary>
internal static class RequestSchemas
{
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
                MaxItems = HttpContract.MaxBatchMessages,
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
                MaxLength = HttpContract.MaxTopicNameLength,
                Pattern = HttpContract.TopicNames.Pattern,
            },
            ["topicValue"] = new JsonSchema
            {
                Type = JsonSchemaType.STRING,
                MaxLength = HttpContract.MaxValueBytes,
            },
            ["topicValueBase64"] = new JsonSchema
            {
                Type = JsonSchemaType.STRING,
                MaxLength = HttpContract.MaxValueBase64Length,
                Pattern = HttpContract.TopicNames.Base64Pattern,
            },
        },
        OneOf =
        [
            new JsonSchema { Required = ["topicValue"] },
            new JsonSchema { Required = ["topicValueBase64"] },
        ],
    };
}
