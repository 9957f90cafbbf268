using System.Text;
using System.Text.Json;

namespace Publisher.Cdk.Tests;

/// <summary>
/// Renders a template value the way CloudFormation would, with every reference as a readable placeholder:
/// <c>{"Ref": "X"}</c> → <c>&lt;X&gt;</c>, <c>{"Fn::GetAtt": ["X", "Y"]}</c> → <c>&lt;X.Y&gt;</c>, <c>Fn::Join</c> joined.
/// </summary>
internal static class CfnValue
{
    public static string Render(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        if (value.TryGetProperty("Ref", out var reference))
        {
            return "<" + reference.GetString() + ">";
        }

        if (value.TryGetProperty("Fn::GetAtt", out var attribute))
        {
            return "<" + string.Join('.', attribute.EnumerateArray().Select(a => a.GetString())) + ">";
        }

        if (value.TryGetProperty("Fn::Join", out var join))
        {
            var text = new StringBuilder();
            var first = true;
            foreach (var part in join[1].EnumerateArray())
            {
                text.Append(first ? string.Empty : join[0].GetString()).Append(Render(part));
                first = false;
            }

            return text.ToString();
        }

        throw new InvalidOperationException($"No rendering for {value.GetRawText()}.");
    }

    /// <summary>The literal text of a value (references left out), for checks of what Velocity would read.</summary>
    public static string Literals(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : value.TryGetProperty("Fn::Join", out var join)
            ? string.Concat(join[1].EnumerateArray().Select(Literals))
            : string.Empty;

    /// <summary>
    /// Every reference in a value, at any depth, as (kind, logical id or parameter): <c>Ref</c>, <c>Fn::GetAtt</c> (either
    /// form), <c>Fn::Sub</c>'s <c>${X}</c> and <c>DependsOn</c>.
    /// </summary>
    public static IEnumerable<(string Kind, string Target)> References(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    if (member.Name == "Ref" && member.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return ("Ref", member.Value.GetString()!);
                    }
                    else if (member.Name == "Fn::GetAtt")
                    {
                        // ["Id", "Attribute"], or the short "Id.Attribute".
                        var target = member.Value.ValueKind == JsonValueKind.Array ? member.Value[0].GetString()! : member.Value.GetString()!;
                        yield return ("Fn::GetAtt", target.Split('.')[0]);
                    }
                    else if (member.Name == "DependsOn")
                    {
                        foreach (var dependency in member.Value.Strings())
                        {
                            yield return ("DependsOn", dependency);
                        }
                    }
                    else
                    {
                        foreach (var inner in References(member.Value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var inner in value.EnumerateArray().SelectMany(References))
                {
                    yield return inner;
                }

                break;
            case JsonValueKind.String when value.GetString()!.Contains("${", StringComparison.Ordinal):
                foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(value.GetString()!, @"\$\{([A-Za-z0-9]+)[.}]"))
                {
                    yield return ("Fn::Sub", match.Groups[1].Value);
                }

                break;
        }
    }
}
