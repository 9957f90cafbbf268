using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;

namespace Functions.Common.Http;

/// <summary>Turns API Gateway proxy events into <see cref="ApiRequest"/> and responses back into the event's shape.</summary>
public static class ApiGatewayAdapter
{
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
    public static (EventShape Shape, ApiRequest Request) Parse(ReadOnlyMemory<byte> eventJson, int maxBodyBytes)
    {
        EventShape shape;
        try
        {
            shape = DetectShape(eventJson.Span) ?? EventShape.RestApiV1;
            if (shape == EventShape.HttpApiV2)
            {
                var v2 = JsonSerializer.Deserialize(eventJson.Span, APIGatewayEventsJsonContext.Default.APIGatewayHttpApiV2ProxyRequest)
                    ?? throw new InvalidEventException("The event is null.");
                return (shape, FromHttpApi(v2, maxBodyBytes));
            }

            var v1 = JsonSerializer.Deserialize(eventJson.Span, APIGatewayEventsJsonContext.Default.APIGatewayProxyRequest)
                ?? throw new InvalidEventException("The event is null.");
            return (shape, FromRest(v1, maxBodyBytes));
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
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
    public static byte[] Serialize(ApiResponse response, EventShape shape)
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
        return shape == EventShape.HttpApiV2
            ? JsonSerializer.SerializeToUtf8Bytes(
                new APIGatewayHttpApiV2ProxyResponse { StatusCode = response.StatusCode, Headers = headers, Body = body, IsBase64Encoded = false },
                APIGatewayEventsJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)
            : JsonSerializer.SerializeToUtf8Bytes(
                new APIGatewayProxyResponse { StatusCode = response.StatusCode, Headers = headers, Body = body, IsBase64Encoded = false },
                APIGatewayEventsJsonContext.Default.APIGatewayProxyResponse);
    }

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
