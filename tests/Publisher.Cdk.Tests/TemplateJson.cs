using System.Text.Json;

namespace Publisher.Cdk.Tests;

/// <summary>Small readers for template JSON, where jsii hands numbers over as doubles.</summary>
internal static class TemplateJson
{
    public static int Int(this JsonElement element) => element.ValueKind == JsonValueKind.String
        ? int.Parse(element.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : (int)element.GetDouble();

    public static string[] Strings(this JsonElement array) =>
        array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [array.GetString()!];
}
