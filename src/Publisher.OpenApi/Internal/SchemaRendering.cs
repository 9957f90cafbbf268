using Microsoft.OpenApi;
using Publisher.Contracts.ApiDocs;

namespace Publisher.OpenApi.Internal;

/// <summary>Renders the shared request schemas (<see cref="SchemaNode"/>) as OpenAPI 3.1 schemas, keyword for keyword as the stack renders them for API Gateway.</summary>
internal static class SchemaRendering
{
    public static OpenApiSchema ToOpenApi(SchemaNode node) => new()
    {
        Title = node.Title,
        Description = node.Description,
        Type = node.Kind switch
        {
            null => null,
            SchemaKind.Object => JsonSchemaType.Object,
            SchemaKind.Array => JsonSchemaType.Array,
            SchemaKind.String => JsonSchemaType.String,
            SchemaKind.Integer => JsonSchemaType.Integer,
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.Kind, "No JSON Schema type for this kind."),
        },
        AdditionalPropertiesAllowed = node.AdditionalProperties ?? true,
        Required = node.Required is null ? null : new HashSet<string>(node.Required, StringComparer.Ordinal),
        Properties = node.Properties?.ToDictionary(p => p.Key, p => (IOpenApiSchema)ToOpenApi(p.Value), StringComparer.Ordinal),
        MinLength = node.MinLength,
        MaxLength = node.MaxLength,
        Pattern = node.Pattern,
        Minimum = Number(node.Minimum),
        Maximum = Number(node.Maximum),
        MinItems = node.MinItems,
        MaxItems = node.MaxItems,
        Items = node.Items is null ? null : ToOpenApi(node.Items),
        OneOf = node.OneOf?.Select(n => (IOpenApiSchema)ToOpenApi(n)).ToList(),
        AnyOf = node.AnyOf?.Select(n => (IOpenApiSchema)ToOpenApi(n)).ToList(),
        Not = node.Not is null ? null : ToOpenApi(node.Not),
    };

    private static string? Number(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
