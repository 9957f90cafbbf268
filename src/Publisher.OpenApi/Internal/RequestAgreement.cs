using System.Text.Json.Serialization.Metadata;
using Publisher.Contracts.ApiDocs;

namespace Publisher.OpenApi.Internal;

/// <summary>
/// Holds a shared request schema to the record the function reads the same body into: the same members with the
/// same JSON types, and every member the record requires required by the schema too (the schema may require more:
/// rules the function checks after reading). The document is not built when they disagree.
/// </summary>
internal static class RequestAgreement
{
    /// <summary>Throws naming every disagreement between <paramref name="schema"/> and <paramref name="record"/>.</summary>
    public static void Check(SchemaNode schema, JsonTypeInfo record)
    {
        var problems = new List<string>();
        var members = (schema.Properties ?? []).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var property in record.Properties)
        {
            if (!members.TryGetValue(property.Name, out var member))
            {
                problems.Add($"the record's member '{property.Name}' is not in the schema");
                continue;
            }

            var expected = Kind(property.PropertyType, record);
            if (member.Kind != expected)
            {
                problems.Add($"'{property.Name}' is {expected?.ToString() ?? "another type"} in the record but {member.Kind} in the schema");
            }

            if (property.IsRequired && !(schema.Required ?? []).Contains(property.Name))
            {
                problems.Add($"'{property.Name}' is required by the record but not by the schema");
            }

            if (member.Items is { } items && property.PropertyType != typeof(string) && record.Options.GetTypeInfo(property.PropertyType).ElementType is { } element)
            {
                var elementInfo = record.Options.GetTypeInfo(Nullable.GetUnderlyingType(element) ?? element);
                try
                {
                    Check(items, elementInfo);
                }
                catch (InvalidOperationException e)
                {
                    problems.Add($"'{property.Name}' items: {e.Message}");
                }
            }
        }

        problems.AddRange(members.Keys.Where(name => record.Properties.All(p => p.Name != name)).Select(name => $"the schema's member '{name}' is not in the record"));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{schema.Title ?? "A request schema"} and {record.Type.Name} disagree: {string.Join("; ", problems)}.");
        }
    }

    private static SchemaKind? Kind(Type type, JsonTypeInfo owner)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return SchemaKind.String;
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return SchemaKind.Integer;
        }

        return owner.Options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => SchemaKind.Array,
            JsonTypeInfoKind.Object => SchemaKind.Object,
            _ => null,
        };
    }
}
