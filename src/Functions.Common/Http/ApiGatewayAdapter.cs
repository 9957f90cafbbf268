using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace Functions.Common.Http;

/// <summary>Turns API Gateway proxy events into <see cref="ApiRequest"/> and responses back into the event's shape,
/// reading and writing them with Lambda's source-generated serializer, as a typed handler would.</summary>
public sealed class ApiGatewayAdapter
{
    private readonly ILambdaSerializer _rest = new SourceGeneratorLambdaJsonSerializer<RestApiJsonContext>();
    private readonly ILambdaSerializer _httpApi = new SourceGeneratorLambdaJsonSerializer<HttpApiJsonContext>();

    /// <summary>Reads a whole invocation payload (Lambda caps it at 6 MB); the runtime hands it over as a stream.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadPayloadAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            return buffer.AsMemory((int)memory.Position);
        }

        using var copy = new MemoryStream();
        await input.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    /// <summary>
    /// Tells the payload version from the event's content: 2.0 events say so in <c>version</c>, 1.0 events carry
    /// <c>httpMethod</c>. Null when the payload is a JSON object that is neither (a direct invocation).
    /// </summary>
    public static EventShape? DetectShape(ReadOnlySpan<byte> eventJson)
    {
        try
        {
            return ScanShape(eventJson);
        }
        catch (JsonException)
        {
            throw new InvalidEventException("The event is not valid JSON.");
        }
    }

    private static EventShape? ScanShape(ReadOnlySpan<byte> eventJson)
    {
        var reader = new Utf8JsonReader(eventJson, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidEventException("The event is not a JSON object.");
        }

        EventShape? shape = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isVersion = reader.ValueTextEquals("version"u8);
            var isMethod = reader.ValueTextEquals("httpMethod"u8);
            reader.Read();
            if (isVersion && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8))
            {
                return EventShape.HttpApiV2;
            }

            if (isMethod)
            {
                shape = EventShape.RestApiV1;
            }

            reader.Skip();
        }

        return shape;
    }

    /// <summary>Parses an event of either shape; a body over <paramref name="maxBodyBytes"/> is flagged, not read.</summary>
    public (EventShape Shape, ApiRequest Request) Parse(ReadOnlyMemory<byte> eventJson, int maxBodyBytes)
    {
        var shape = DetectShape(eventJson.Span) ?? EventShape.RestApiV1;
        try
        {
            if (shape == EventShape.HttpApiV2)
            {
                var v2 = _httpApi.Deserialize<APIGatewayHttpApiV2ProxyRequest>(AsStream(eventJson))
                    ?? throw new InvalidEventException("The event is null.");
                return (shape, FromHttpApi(v2, maxBodyBytes));
            }

            var v1 = _rest.Deserialize<APIGatewayProxyRequest>(AsStream(eventJson))
                ?? throw new InvalidEventException("The event is null.");
            return (shape, FromRest(v1, maxBodyBytes));
        }
        catch (Exception e) when (e is JsonSerializerException or ArgumentException)
        {
            // The serializer's message may quote the payload: say only what is wrong.
            throw new InvalidEventException("The event is not a valid API Gateway proxy event.");
        }
    }

    /// <summary>Maps a REST API (1.0) event.</summary>
    public static ApiRequest FromRest(APIGatewayProxyRequest request, int maxBodyBytes)
    {
        var (body, tooLarge) = DecodeBody(request.Body, request.IsBase64Encoded, maxBodyBytes);
        return new ApiRequest(
            (request.HttpMethod ?? request.RequestContext?.HttpMethod ?? "GET").ToUpperInvariant(),
            NormalizePath(request.Path ?? "/"),
            HeaderMap.From(request.Headers, request.MultiValueHeaders),
            body,
            tooLarge,
            request.RequestContext?.RequestId ?? string.Empty,
            CopyOf(request.QueryStringParameters))
        {
            PathParameters = CopyOf(request.PathParameters),
        };
    }

    /// <summary>Maps an HTTP API / function URL (2.0) event; a named stage's prefix is removed from the path.</summary>
    public static ApiRequest FromHttpApi(APIGatewayHttpApiV2ProxyRequest request, int maxBodyBytes)
    {
        var (body, tooLarge) = DecodeBody(request.Body, request.IsBase64Encoded, maxBodyBytes);
        var path = request.RawPath ?? request.RequestContext?.Http?.Path ?? "/";
        var stage = request.RequestContext?.Stage;
        if (!string.IsNullOrEmpty(stage) && stage != "$default" && path.StartsWith("/" + stage + "/", StringComparison.Ordinal))
        {
            path = path[(stage.Length + 1)..];
        }

        return new ApiRequest(
            (request.RequestContext?.Http?.Method ?? "GET").ToUpperInvariant(),
            NormalizePath(path),
            HeaderMap.From(request.Headers),
            body,
            tooLarge,
            request.RequestContext?.RequestId ?? string.Empty,
            CopyOf(request.QueryStringParameters))
        {
            PathParameters = CopyOf(request.PathParameters),
        };
    }

    /// <summary>Serializes a response in the shape of the event it answers.</summary>
    public MemoryStream Serialize(ApiResponse response, EventShape shape)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = response.ContentType };
        if (response.Headers is not null)
        {
            foreach (var (name, value) in response.Headers)
            {
                headers[name] = value;
            }
        }

        var body = Encoding.UTF8.GetString(response.Body);
        var output = new MemoryStream();
        if (shape == EventShape.HttpApiV2)
        {
            _httpApi.Serialize(new APIGatewayHttpApiV2ProxyResponse { StatusCode = response.StatusCode, Headers = headers, Body = body }, output);
        }
        else
        {
            _rest.Serialize(new APIGatewayProxyResponse { StatusCode = response.StatusCode, Headers = headers, Body = body }, output);
        }

        output.Position = 0;
        return output;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> json) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(json, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(json.ToArray(), writable: false);

    private static (byte[]? Body, bool TooLarge) DecodeBody(string? body, bool isBase64, int maxBodyBytes)
    {
        if (string.IsNullOrEmpty(body))
        {
            return ([], false);
        }

        if (isBase64)
        {
            // Decoded size is at most 3/4 of the text: refuse before allocating anything large.
            if ((long)body.Length / 4 * 3 > maxBodyBytes + 2L)
            {
                return (null, true);
            }

            var buffer = new byte[(body.Length / 4 * 3) + 3];
            if (!Convert.TryFromBase64String(body, buffer, out var written))
            {
                throw new InvalidEventException("The event marks its body as base64, but the body is not valid base64.");
            }

            return written > maxBodyBytes ? (null, true) : (buffer[..written], false);
        }

        // A UTF-16 char is at most 3 UTF-8 bytes: cheap pre-check before counting exactly.
        if (body.Length > maxBodyBytes || Encoding.UTF8.GetByteCount(body) > maxBodyBytes)
        {
            return (null, true);
        }

        return (Encoding.UTF8.GetBytes(body), false);
    }

    private static string NormalizePath(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        return trimmed.Length == 0 ? "/" : trimmed;
    }

    private static IReadOnlyDictionary<string, string> CopyOf(IDictionary<string, string>? query) =>
        query is null ? new Dictionary<string, string>() : new Dictionary<string, string>(query, StringComparer.Ordinal);
}

/// <summary>The invocation payload is not an API Gateway proxy event the functions can read.</summary>
public sealed class InvalidEventException : Exception
{
    /// <summary>Creates the exception with a caller-safe message.</summary>
    public InvalidEventException(string message)
        : base(message)
    {
    }
}
