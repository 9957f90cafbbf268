using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Functions.Common.Observability;

namespace Functions.Common.Http;

/// <summary>An HTTP response as the functions produce it, independent of the API Gateway payload version.</summary>
public sealed record ApiResponse(int StatusCode, string ContentType, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A JSON response: <paramref name="value"/> written by its source-generated metadata.</summary>
    public static ApiResponse Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo, IReadOnlyDictionary<string, string>? headers = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);

        // The writer's options decide escaping: relaxed, so text stays readable in every response.
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return new ApiResponse(statusCode, MediaTypes.Json, buffer.WrittenSpan.ToArray(), headers);
    }
}
