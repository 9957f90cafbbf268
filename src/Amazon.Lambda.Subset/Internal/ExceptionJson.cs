using System.Buffers;
using System.Text.Json;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>The error body the official runtime posts: <c>errorType</c> (the exception's type name), <c>errorMessage</c>,
/// <c>stackTrace</c> (frame lines) and <c>cause</c> (the inner exception), at most 256 KB.</summary>
internal static class ExceptionJson
{
    private const int MaxPayloadBytes = 256 * 1024;
    private const int MaxCauseDepth = 8;

    public static byte[] Write(Exception exception)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteException(writer, exception, 0);
        }

        return buffer.WrittenCount <= MaxPayloadBytes
            ? buffer.WrittenSpan.ToArray()
            : """{"errorMessage": "Exception exceeded maximum payload size of 256KB."}"""u8.ToArray();
    }

    private static void WriteException(Utf8JsonWriter writer, Exception exception, int depth)
    {
        writer.WriteStartObject();
        writer.WriteString("errorType", exception.GetType().Name);
        writer.WriteString("errorMessage", exception.Message);
        if (exception.StackTrace is { } stackTrace)
        {
            writer.WriteStartArray("stackTrace");
            foreach (var frame in stackTrace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                writer.WriteStringValue(frame);
            }

            writer.WriteEndArray();
        }

        if (exception.InnerException is { } inner && depth < MaxCauseDepth)
        {
            writer.WritePropertyName("cause");
            WriteException(writer, inner, depth + 1);
        }

        writer.WriteEndObject();
    }
}
