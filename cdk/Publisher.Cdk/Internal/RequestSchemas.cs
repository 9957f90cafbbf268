using Amazon.CDK.AWS.APIGateway;
using Publisher.Contracts.ApiDocs;

namespace Publisher.Cdk.Internal;

/// <summary>
/// JSON schemas (draft 4, what API Gateway validates with) of the publisher's request bodies: the shared
/// <see cref="ContractSchemas"/> the OpenAPI document renders too, from the same <c>HttpContract</c> the function
/// reads, so malformed requests are refused before they cost an invocation and the models cannot drift from the
/// document. The function still checks everything, including what a schema cannot say (UTF-8 byte length,
/// duplicate fields). A topic value's limit is in bytes; as characters it is an upper bound.
/// </summary>
internal static class RequestSchemas
{
    /// <summary><c>{"topicName": "...", "topicValue": "..."}</c> or with <c>topicValueBase64</c> instead: exactly one value.</summary>
    public static JsonSchema PublishRequest() => Draft4(ContractSchemas.PublishRequest());

    /// <summary><c>{"messages": [ message, ... ]}</c> with 1 to 100 messages.</summary>
    public static JsonSchema BatchRequest() => Draft4(ContractSchemas.BatchRequest());

    private static JsonSchema Draft4(SchemaNode node)
    {
        var schema = ToCdk(node);
        schema.Schema = JsonSchemaVersion.DRAFT4;
        return schema;
    }

    /// <summary>The node as CDK's schema type; what is unset stays out of the template.</summary>
    internal static JsonSchema ToCdk(SchemaNode node) => new()
    {
        Title = node.Title,
        Description = node.Description,
        Type = node.Kind switch
        {
            null => null,
            SchemaKind.Object => JsonSchemaType.OBJECT,
            SchemaKind.Array => JsonSchemaType.ARRAY,
            SchemaKind.String => JsonSchemaType.STRING,
            SchemaKind.Integer => JsonSchemaType.INTEGER,
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.Kind, "No API Gateway type for this kind."),
        },
        AdditionalProperties = node.AdditionalProperties,
        Required = node.Required?.ToArray(),
        Properties = node.Properties?.ToDictionary(p => p.Key, p => (IJsonSchema)ToCdk(p.Value)),
        MinLength = node.MinLength,
        MaxLength = node.MaxLength,
        Pattern = node.Pattern,
        Minimum = node.Minimum,
        Maximum = node.Maximum,
        MinItems = node.MinItems,
        MaxItems = node.MaxItems,
        Items = node.Items is null ? null : ToCdk(node.Items),
        OneOf = node.OneOf?.Select(n => (IJsonSchema)ToCdk(n)).ToArray(),
        AnyOf = node.AnyOf?.Select(n => (IJsonSchema)ToCdk(n)).ToArray(),
        Not = node.Not is null ? null : ToCdk(node.Not),
    };
}
