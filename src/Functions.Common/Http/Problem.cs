using Functions.Common.Observability;
using System.Buffers;
using System.Text.Json;

namespace Functions.Common.Http;

/// <summary>RFC 9457 problem details: the one error format callers see, from the function or the gateway.</summary>
/// <param name="Slug">The problem type's last path segment (see <see cref="ProblemTypes"/>).</param>
/// <param name="Title">Short, fixed summary of the problem type.</param>
/// <param name="Status">HTTP status code.</param>
/// <param name="Detail">What exactly was wrong with this request; never a value, a key or an exception text.</param>
public sealed record Problem(string Slug, string Title, int Status, string Detail)
{
    /// <summary>The request field at fault (e.g. <c>topicName</c>, <c>messages[2].topicValue</c>), if any.</summary>
    public string? Field { get; init; }

    /// <summary>Seconds the caller should wait before retrying (sent as <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The absolute problem type URI.</summary>
    public string Type => ProblemTypes.BaseUri + Slug;

    /// <summary>Writes the problem as a JSON object.</summary>
    public void WriteTo(Utf8JsonWriter writer, string? requestId)
    {
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        writer.WriteString("title", Title);
        writer.WriteNumber("status", Status);
        writer.WriteString("detail", Detail);
        if (Field is not null)
        {
            writer.WriteString("field", Field);
        }

        if (requestId is not null)
        {
            writer.WriteString("requestId", requestId);
        }

        writer.WriteEndObject();
    }

    /// <summary>The problem as an HTTP response with <c>application/problem+json</c>.</summary>
    public ApiResponse ToResponse(string? requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            WriteTo(writer, requestId);
        }

        var headers = RetryAfterSeconds is { } seconds
            ? new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null;
        return new ApiResponse(Status, MediaTypes.ProblemJson, buffer.WrittenSpan.ToArray(), headers);
    }
}
