using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Functions.Common.Secrets;

/// <summary>Reads a date sent either as an ISO 8601 string or as AWS JSON-protocol epoch seconds (a number).</summary>
internal sealed class FlexibleDateConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(reader.GetDouble() * 1000)),
            JsonTokenType.String => DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            _ => throw new JsonException("CreatedDate must be a string or a number."),
        };

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteStringValue(date);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
