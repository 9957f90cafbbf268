using System.Text.Json;

namespace Publisher.Cdk.Tests;

/// <summary>A synthesized dashboard's body, read back as JSON: its widgets and the metrics they plot.</summary>
internal sealed class DashboardBody
{
    private DashboardBody(JsonElement root) => Widgets = root.GetProperty("widgets").EnumerateArray().ToArray();

    public IReadOnlyList<JsonElement> Widgets { get; }

    /// <summary>
    /// Reads DashboardBody, a string or an <c>Fn::Join</c> with references inside JSON strings, rendered by
    /// <see cref="CfnValue.Render"/>: each reference becomes <c>&lt;LogicalId&gt;</c> or <c>&lt;LogicalId.Attribute&gt;</c>.
    /// </summary>
    public static DashboardBody Resolve(JsonElement body) =>
        new(JsonDocument.Parse(CfnValue.Render(body)).RootElement.Clone());

    /// <summary>Widgets of one type (<c>metric</c>, <c>log</c>, <c>alarm</c>...).</summary>
    public IEnumerable<JsonElement> OfType(string type) =>
        Widgets.Where(w => w.GetProperty("type").GetString() == type);

    /// <summary>Every plotted metric, as CloudWatch's array form <c>[namespace, name, dim, value, ..., {options}]</c>, parsed.</summary>
    public IReadOnlyList<PlottedMetric> Metrics() =>
        OfType("metric").SelectMany(w => w.GetProperty("properties").GetProperty("metrics").EnumerateArray())
            .Where(m => m[0].ValueKind == JsonValueKind.String)
            .Select(PlottedMetric.Parse)
            .ToArray();

    /// <summary>Every math expression (the entries whose first element is an object with <c>expression</c>).</summary>
    public IReadOnlyList<string> Expressions() =>
        OfType("metric").SelectMany(w => w.GetProperty("properties").GetProperty("metrics").EnumerateArray())
            .Where(m => m[0].ValueKind == JsonValueKind.Object && m[0].TryGetProperty("expression", out _))
            .Select(m => m[0].GetProperty("expression").GetString()!)
            .ToArray();
}

/// <summary>One metric of a graph widget.</summary>
internal sealed record PlottedMetric(string Namespace, string Name, IReadOnlyDictionary<string, string> Dimensions, string? Statistic)
{
    public static PlottedMetric Parse(JsonElement array)
    {
        var items = array.EnumerateArray().ToArray();
        var options = items[^1].ValueKind == JsonValueKind.Object ? items[^1] : default;
        var dimensionItems = items.Skip(2).Take(items.Length - 2 - (options.ValueKind == JsonValueKind.Object ? 1 : 0)).ToArray();
        Assert.True(dimensionItems.Length % 2 == 0, $"Dimensions come in name/value pairs: {array.GetRawText()}");
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < dimensionItems.Length; i += 2)
        {
            dimensions.Add(dimensionItems[i].GetString()!, dimensionItems[i + 1].GetString()!);
        }

        var statistic = options.ValueKind == JsonValueKind.Object && options.TryGetProperty("stat", out var stat) ? stat.GetString() : null;
        return new PlottedMetric(items[0].GetString()!, items[1].GetString()!, dimensions, statistic);
    }
}
