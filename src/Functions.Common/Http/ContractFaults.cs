using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Functions.Common.Http;

/// <summary>
/// Turns the path System.Text.Json reports for a strict read into the problem a caller can act on. The path is
/// walked through the JSON and the contract's metadata side by side; at its end the member is unknown, repeated,
/// missing or of the wrong kind. The text was checked first (<see cref="JsonTextCheck"/>), so it parses.
/// </summary>
internal static class ContractFaults
{
    public static Problem Explain(ReadOnlySpan<byte> utf8, JsonTypeInfo root, string? path, string subject)
    {
        using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = StrictJson.MaxDepth + 1 });
        var element = document.RootElement;
        var contract = root;
        var field = string.Empty;
        foreach (var segment in Segments(path))
        {
            if (segment.Name is { } name)
            {
                var member = contract.Properties.FirstOrDefault(p => p.Name == name);
                if (member is null || element.ValueKind != JsonValueKind.Object)
                {
                    return Problem.Invalid($"Unknown field '{Printable.Truncate(name)}'; {Allowed(contract)}.", NullIfEmpty(FieldPath.Member(field, name)));
                }

                field = FieldPath.Member(field, name);
                if (element.EnumerateObject().Count(p => p.NameEquals(name)) > 1)
                {
                    return Problem.Invalid($"The field '{name}' appears more than once.", field);
                }

                element = element.GetProperty(name);
                contract = contract.Options.GetTypeInfo(member.PropertyType);
            }
            else if (contract.ElementType is { } itemType && element.ValueKind == JsonValueKind.Array && segment.Index < element.GetArrayLength())
            {
                field = FieldPath.Item(field, segment.Index);
                element = element[segment.Index];
                contract = contract.Options.GetTypeInfo(itemType);
            }
            else
            {
                break;
            }
        }

        return AtMember(element, contract, field.Length == 0 ? null : field, subject);
    }

    // The member itself is at fault: its kind, or (for an object) a required member it lacks.
    private static Problem AtMember(JsonElement element, JsonTypeInfo contract, string? field, string subject)
    {
        var name = field ?? subject;
        switch (contract.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                var missing = contract.Properties.FirstOrDefault(p => p.IsRequired && !element.TryGetProperty(p.Name, out _));
                return missing is not null
                    ? Problem.Invalid($"{missing.Name} is required.", FieldPath.Member(field ?? string.Empty, missing.Name))
                    : Problem.Invalid($"{name} does not match the request's contract.", field);
            case JsonTypeInfoKind.Object:
                return Problem.Invalid($"{name} must be a JSON object.", field);
            case JsonTypeInfoKind.Enumerable:
                return Problem.Invalid($"{name} must be an array, not {Describe(element.ValueKind)}.", field);
        }

        var type = Nullable.GetUnderlyingType(contract.Type) ?? contract.Type;
        if (type == typeof(string))
        {
            return Problem.Invalid($"{name} must be a string, not {Describe(element.ValueKind)}.", field);
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            // A whole number the field's type cannot hold is out of range, not "not a whole number".
            return element.GetRawText().AsSpan().IndexOfAny(".eE") < 0
                ? Problem.Invalid($"{name} is out of range: {Printable.Truncate(element.GetRawText())}.", field)
                : Problem.Invalid($"{name} must be a whole number.", field);
        }

        return Problem.Invalid($"{name} must be a whole number, not {Describe(element.ValueKind)}.", field);
    }

    private static string Allowed(JsonTypeInfo contract) => contract.Properties.Count switch
    {
        0 => "no fields are allowed here",
        1 => $"the only allowed field is {contract.Properties[0].Name}",
        var n => $"the allowed fields are {string.Join(", ", contract.Properties.Take(n - 1).Select(p => p.Name))} and {contract.Properties[n - 1].Name}",
    };

    private static string? NullIfEmpty(string path) => path.Length == 0 ? null : path;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "a string",
    };

    /// <summary>
    /// The segments of System.Text.Json's path: <c>$</c>, then <c>.name</c>, <c>[index]</c> or, for names with
    /// special characters, <c>['name']</c>. Contract members have plain names, so a bracketed name is an unknown
    /// member, which ends the path: it is taken whole, whatever quotes it holds.
    /// </summary>
    private static IEnumerable<(string? Name, int Index)> Segments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            yield break;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 1)..end], 0);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['") && path.EndsWith("']", StringComparison.Ordinal) && path.Length - 2 >= i + 2)
            {
                yield return (path[(i + 2)..^2], 0);
                yield break;
            }
            else if (path[i] == '[' && path.IndexOf(']', i) is > 0 and var close
                && int.TryParse(path.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                yield return (null, index);
                i = close + 1;
            }
            else
            {
                yield break;
            }
        }
    }
}
