using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Serialization.SystemTextJson;

namespace Functions.Common.Http;

/// <summary>Turns API Gateway proxy events into <see cref="ApiRequest"/> and responses back into the event's shape,
/// reading and writing them with Lambda's source-generated serializer, as a typed handler would (reading the payload in
/// place). Any payload gets an answer: what is not an event this API can serve becomes a 400 problem saying why, never
/// an exception.</summary>
public sealed class ApiGatewayAdapter
{
    /// <summary>Deepest nesting an event may have (API Gateway's own go four levels deep).</summary>
    public const int MaxEventDepth = 64;

    private readonly EventSerializer<RestApiJsonContext> _rest = new();
    private readonly EventSerializer<HttpApiJsonContext> _httpApi = new();

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
    /// <c>httpMethod</c>. Null for anything else: a direct invocation, another service's event, or not JSON at all.
    /// </summary>
    public static EventShape? DetectShape(ReadOnlySpan<byte> eventJson)
    {
        try
        {
            var reader = new Utf8JsonReader(eventJson, new JsonReaderOptions { MaxDepth = MaxEventDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
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

                shape = isMethod ? EventShape.RestApiV1 : shape;
                reader.Skip();
            }

            return shape;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a name that is not text (an escaped lone surrogate): not an event either way.
            return null;
        }
    }

    /// <summary>
    /// Reads an event of either shape. The shape is what the answer must be written as (REST's when the payload is
    /// not an event at all); the request is the event's, or the problem that says why there is none. A body over
    /// <paramref name="maxBodyBytes"/> is flagged, not read.
    /// </summary>
    public (EventShape Shape, Checked<ApiRequest> Request) Read(ReadOnlyMemory<byte> payload, int maxBodyBytes) => Read(payload, _ => maxBodyBytes);

    /// <summary>
    /// Reads an event as <see cref="Read(ReadOnlyMemory{byte}, int)"/> does, with a body limit for each route (see
    /// <see cref="ApiRequest.Route"/>): a body over its route's limit is measured (<see cref="ApiRequest.BodyLength"/>)
    /// and flagged, never decoded.
    /// </summary>
    public (EventShape Shape, Checked<ApiRequest> Request) Read(ReadOnlyMemory<byte> payload, Func<IReadOnlyList<string>, int> maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(maxBodyBytes);
        // Shape detection reads names only, so it answers even for text that fails the check; the answer then has the event's shape.
        var detected = DetectShape(payload.Span);
        var shape = detected ?? EventShape.RestApiV1;
        if (JsonTextCheck.Find(payload.Span, MaxEventDepth) is { } fault)
        {
            return (shape, fault is { Kind: JsonTextFaultKind.InvalidUnicode, Path: { } path }
                ? Problem.Invalid($"The event's {path} holds a JSON escape that is not valid Unicode (a lone UTF-16 surrogate such as \\ud800).", path)
                : StrictJson.Describe(fault, "The event"));
        }

        if (detected is null)
        {
            return (shape, Problem.Invalid(
                "This is not an API Gateway event: the payload has neither httpMethod (REST API, payload 1.0) nor version \"2.0\" (HTTP API or function URL, payload 2.0)."));
        }

        try
        {
            Checked<ApiRequest> request;
            if (shape == EventShape.HttpApiV2)
            {
                var httpApi = _httpApi.DeserializeEvent<APIGatewayHttpApiV2ProxyRequest>(payload.Span) ?? throw new JsonException("The event is null.");
                var body = EventBody.Find(payload, MaxEventDepth);
                request = body.Failed ? body.Problem : FromHttpApi(httpApi, body.Value, maxBodyBytes);
            }
            else
            {
                var rest = _rest.DeserializeEvent<APIGatewayProxyRequest>(payload.Span) ?? throw new JsonException("The event is null.");
                var body = EventBody.Find(payload, MaxEventDepth);
                request = body.Failed ? body.Problem : FromRest(rest, body.Value, maxBodyBytes);
            }

            return (shape, request);
        }
        catch (Exception e) when (e is JsonSerializerException or JsonException)
        {
            // The serializer's message may quote the payload: name only where the event is wrong.
            var path = (e as JsonException ?? e.InnerException as JsonException)?.Path is ['$', '.', .. var rest] ? rest : null;
            return (shape, Problem.Invalid(
                path is null
                    ? "The event is not a valid API Gateway proxy event."
                    : $"The event is not a valid API Gateway proxy event: {Printable.Truncate(path)} does not have the type API Gateway gives it.",
                path is null ? null : Printable.Truncate(path)));
        }
    }

    /// <summary>
    /// Serializes a response in the shape of the event it answers, with that format's own member: REST's
    /// <c>multiValueHeaders</c> or the HTTP API's <c>cookies</c>, both empty (the functions repeat no header and set no
    /// cookie), so an answer says which integration it was written for and a mix-up shows.
    /// </summary>
    public MemoryStream Serialize(ApiResponse response, EventShape shape)
    {
        ArgumentNullException.ThrowIfNull(response);
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
            _httpApi.Serialize(new APIGatewayHttpApiV2ProxyResponse { StatusCode = response.StatusCode, Headers = headers, Cookies = [], Body = body }, output);
        }
        else
        {
            _rest.Serialize(
                new APIGatewayProxyResponse { StatusCode = response.StatusCode, Headers = headers, MultiValueHeaders = new Dictionary<string, IList<string>>(), Body = body },
                output);
        }

        output.Position = 0;
        return output;
    }

    private static Checked<ApiRequest> FromRest(APIGatewayProxyRequest request, EventBody body, Func<IReadOnlyList<string>, int> maxBodyBytes) => Build(
        MatchedRoute.FromRest(request),
        (body, request.IsBase64Encoded, maxBodyBytes),
        request.HttpMethod ?? request.RequestContext?.HttpMethod,
        request.Path,
        HeaderMap.From(request.Headers, request.MultiValueHeaders),
        request.RequestContext?.RequestId,
        request.QueryStringParameters);

    private static Checked<ApiRequest> FromHttpApi(APIGatewayHttpApiV2ProxyRequest request, EventBody body, Func<IReadOnlyList<string>, int> maxBodyBytes) => Build(
        MatchedRoute.FromHttpApi(request),
        (body, request.IsBase64Encoded, maxBodyBytes),
        request.RequestContext?.Http?.Method,
        request.RawPath ?? request.RequestContext?.Http?.Path,
        HeaderMap.From(request.Headers),
        request.RequestContext?.RequestId,
        request.QueryStringParameters);

    private static Checked<ApiRequest> Build(
        Checked<string[]> route, (EventBody Body, bool IsBase64, Func<IReadOnlyList<string>, int> Limit) body, string? method, string? path,
        HeaderMap headers, string? requestId, IDictionary<string, string>? query)
    {
        if (route.Failed)
        {
            return route.Problem;
        }

        var decoded = DecodeBody(body.Body, body.IsBase64, body.Limit(route.Value));
        if (decoded.Failed)
        {
            return decoded.Problem;
        }

        return new ApiRequest(
            (method ?? "GET").ToUpperInvariant(), path ?? "/", headers, decoded.Value.Bytes, decoded.Value.Bytes is null, requestId ?? string.Empty, CopyOf(query))
        {
            Route = route.Value,
            BodyLength = decoded.Value.Length,
        };
    }

    // The body's decoded length is measured first, from its JSON text alone; only a body within the limit is decoded.
    private static Checked<DecodedBody> DecodeBody(EventBody body, bool isBase64, int maxBodyBytes)
    {
        var length = body.Length(isBase64);
        if (length > maxBodyBytes)
        {
            return new DecodedBody(null, length);
        }

        return body.Decode(isBase64) is { } bytes
            ? new DecodedBody(bytes, bytes.Length)
            : Problem.Invalid("The event marks its body as base64, but the body is not valid base64.");
    }

    private static Dictionary<string, string?> CopyOf(IDictionary<string, string>? query) =>
        query is null ? [] : new Dictionary<string, string?>(query!, StringComparer.Ordinal);

    /// <summary>The body's bytes (null when they were not decoded: over the limit) and its decoded length.</summary>
    private sealed record DecodedBody(byte[]? Bytes, int Length);
}
