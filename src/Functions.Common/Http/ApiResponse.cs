using Functions.Common.Observability;
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Functions.Common.Http;

/// <summary>An HTTP response as the functions produce it, independent of the API Gateway payload version.</summary>
public sealed record ApiResponse(int StatusCode, string ContentType, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>The body as UTF-8 text (every response body here is JSON).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>A JSON response written by <paramref name="write"/>.</summary>
    public static ApiResponse Json(int statusCode, Action<Utf8JsonWriter> write, IReadOnlyDictionary<string, string>? headers = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            write(writer);
        }

        return new ApiResponse(statusCode, MediaTypes.Json, buffer.WrittenSpan.ToArray(), headers);
    }
}
