using System.Text.Json;
using Publisher.Contracts;

namespace Functions.Common.Observability;

/// <summary>CloudWatch embedded metric format: the <c>_aws</c> directive that turns a log line's fields into metrics.</summary>
public static class EmbeddedMetrics
{
    /// <summary>One metric the directive declares; its value is a top-level field of the same name.</summary>
    public readonly record struct Metric(string Name, string Unit);

    /// <summary>Metrics that share one list of dimension sets.</summary>
    public sealed record MetricGroup(IReadOnlyList<Metric> Metrics, IReadOnlyList<IReadOnlyList<string>> DimensionSets);

    /// <summary>Writes <c>"_aws": {...}</c> into an open JSON object. Metric and dimension values must be written as fields too.</summary>
    public static void WriteDirective(Utf8JsonWriter writer, DateTimeOffset timestamp, IReadOnlyList<MetricGroup> groups)
    {
        writer.WriteStartObject("_aws");
        writer.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
        writer.WriteStartArray("CloudWatchMetrics");
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            writer.WriteString("Namespace", MetricNames.Namespace);
            writer.WriteStartArray("Dimensions");
            foreach (var set in group.DimensionSets)
            {
                writer.WriteStartArray();
                foreach (var dimension in set)
                {
                    writer.WriteStringValue(dimension);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var metric in group.Metrics)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", metric.Name);
                writer.WriteString("Unit", metric.Unit);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
