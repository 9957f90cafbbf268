using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;

namespace Publisher.OpenApi.Internal;

/// <summary>
/// Response schemas from the functions' source-generated JSON metadata: the member names, JSON types and
/// nullability the serializer writes with. A record becomes a component schema named after it; a member that can be
/// null is left out when null (the contexts write with <see cref="JsonIgnoreCondition.WhenWritingNull"/>), so it is
/// optional and never null, and every other member is required.
/// </summary>
internal sealed class RecordSchemas(OpenApiDocument document)
{
    private readonly Dictionary<Type, string> _named = [];

    /// <summary>A reference to the component schema of <paramref name="info"/>'s record, adding it (and the records it holds) on first use.</summary>
    public OpenApiSchemaReference Component(JsonTypeInfo info, string description)
    {
        var reference = Component(info);
        ((OpenApiSchema)document.Components!.Schemas![reference.Reference.Id!]).Description = description;
        return reference;
    }

    private OpenApiSchemaReference Component(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            throw new InvalidOperationException($"{info.Type.Name} is not a JSON object in its contract.");
        }

        if (info.Options.DefaultIgnoreCondition != JsonIgnoreCondition.WhenWritingNull)
        {
            throw new InvalidOperationException($"{info.Type.Name}'s context does not leave nulls out; its nullable members would be written as null.");
        }

        var name = info.Type.Name;
        if (_named.TryAdd(info.Type, name))
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Required = new HashSet<string>(StringComparer.Ordinal),
            };
            document.Components!.Schemas![name] = schema;
            foreach (var property in info.Properties)
            {
                schema.Properties[property.Name] = Member(property.PropertyType, info.Options);
                if (!property.IsGetNullable)
                {
                    schema.Required.Add(property.Name);
                }
            }
        }

        return new OpenApiSchemaReference(name, document);
    }

    private IOpenApiSchema Member(Type type, System.Text.Json.JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String };
        }

        if (type == typeof(bool))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Boolean };
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = type == typeof(uint) || type == typeof(ulong) ? "0" : null };
        }

        if (type == typeof(double))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Number };
        }

        if (type == typeof(byte[]))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String, ContentEncoding = "base64" };
        }

        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Member(info.ElementType!, options) },
            JsonTypeInfoKind.Object => Component(info),
            _ => throw new InvalidOperationException($"No schema for {type.Name} ({info.Kind}) yet."),
        };
    }
}
