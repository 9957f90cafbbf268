using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Publisher.Contracts;
using Publisher.Local.Internal;

namespace Publisher.Local;

/// <summary>A REST API proxy event: as an object, and as the exact bytes the function is invoked with.</summary>
/// <param name="Event">The event; its <c>Body</c> is null when the text body is not valid UTF-8 (only <paramref name="Payload"/> holds it).</param>
/// <param name="Payload">The invocation payload.</param>
public sealed record RestApiEvent(APIGatewayProxyRequest Event, byte[] Payload);

/// <summary>Does what API Gateway's REST API proxy integration does for this stack: HTTP request → 1.0 event, proxy response → HTTP response.</summary>
public static class RestApiEmulation
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Only letters, digits and underscores: the serializer writes it as is, so its quoted form is findable.
    private static readonly string RawBodyMarker = "LOCAL_API_RAW_BODY_" + Guid.NewGuid().ToString("N");

    /// <summary>The resource template API Gateway matches for a path as sent (percent-encoded), and its path parameters, decoded.</summary>
    /// <remarks>The stack's resources, and a greedy <c>/{proxy+}</c> for every other path, so unknown routes reach the function.</remarks>
    public static (string Resource, IDictionary<string, string>? PathParameters) Route(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            [] => ("/", null),
            ["topics"] => ("/topics", null),
            ["topics", var topicName] => ("/topics/{topicName}", new Dictionary<string, string> { ["topicName"] = Decode(topicName) }),
            ["batch"] => ("/batch", null),
            ["verify"] => ("/verify", null),
            _ => ("/{proxy+}", new Dictionary<string, string> { ["proxy"] = string.Join('/', segments.Select(Decode)) }),
        };
    }

    /// <summary>True when every percent-escape in the path decodes to UTF-8; the local API refuses any other path (see <see cref="MatchedRoute.DecodeSegment"/>).</summary>
    public static bool IsDecodable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries).All(segment => MatchedRoute.DecodeSegment(segment) is not null);
    }

    /// <summary>The path as the client sent it (still percent-encoded), without the query.</summary>
    public static string RawPath(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // REST APIs hand the function the path still percent-encoded; Kestrel's Path is decoded.
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return rawTarget is { Length: > 0 } && rawTarget[0] == '/' ? rawTarget.Split('?', 2)[0] : request.Path.HasValue ? request.Path.Value : "/";
    }

    /// <summary>
    /// Builds the event for a request whose body was read. A body of one of the stack's binary media types is
    /// base64 (<c>isBase64Encoded: true</c>); any other body is handed over as text, byte for byte, so a body that
    /// is not valid UTF-8 reaches the function as it arrived (and the function, not the gateway, refuses it).
    /// </summary>
    public static RestApiEvent ToEvent(HttpRequest request, string stage, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = RawPath(request);
        var (resource, pathParameters) = Route(path);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var multiHeaders = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            // As documented for the REST event: "headers" keeps a repeated header's last value (not the values joined
            // with commas, which is the HTTP API's 2.0 event); "multiValueHeaders" keeps them all.
            headers[header.Key] = header.Value.Count == 0 ? string.Empty : header.Value[^1] ?? string.Empty;
            multiHeaders[header.Key] = header.Value.Select(v => v ?? string.Empty).ToList();
        }

        // queryStringParameters keeps the last value of a repeated name, as API Gateway does.
        var query = request.Query.Count == 0 ? null : request.Query.ToDictionary(q => q.Key, q => q.Value[^1] ?? string.Empty, StringComparer.Ordinal);
        var multiQuery = request.Query.Count == 0
            ? null
            : request.Query.ToDictionary(q => q.Key, q => (IList<string>)q.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.Ordinal);

        var binary = BinaryMediaTypes.Matches(request.ContentType);
        string? text = null;
        var rawText = false;
        if (body.Length > 0 && !binary)
        {
            try
            {
                text = StrictUtf8.GetString(body.Span);
            }
            catch (DecoderFallbackException)
            {
                rawText = true;
            }
        }

        var now = DateTimeOffset.UtcNow;
        var method = request.Method.ToUpperInvariant();
        var proxyEvent = new APIGatewayProxyRequest
        {
            Resource = resource,
            Path = path,
            HttpMethod = method,
            Headers = headers,
            MultiValueHeaders = multiHeaders,
            QueryStringParameters = query,
            MultiValueQueryStringParameters = multiQuery,
            PathParameters = pathParameters,
            RequestContext = new APIGatewayProxyRequest.ProxyRequestContext
            {
                AccountId = "123456789012",
                ApiId = "local",
                DomainName = request.Host.HasValue ? request.Host.Value : null,
                Stage = stage,
                RequestId = GatewayProblems.NewRequestId(),
                ResourcePath = resource,
                HttpMethod = method,
                Path = "/" + stage + path,
                RequestTime = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                RequestTimeEpoch = now.ToUnixTimeMilliseconds(),
                Identity = new APIGatewayProxyRequest.RequestIdentity
                {
                    SourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = request.Headers.UserAgent.ToString(),
                },
            },
            Body = body.Length == 0 ? null : binary ? Convert.ToBase64String(body.Span) : rawText ? RawBodyMarker : text,
            IsBase64Encoded = body.Length > 0 && binary,
        };
        var payload = JsonSerializer.SerializeToUtf8Bytes(proxyEvent, RestApiJsonContext.Default.APIGatewayProxyRequest);
        if (rawText)
        {
            payload = SpliceRawText(payload, body.Span);
            proxyEvent.Body = null;
        }

        return new RestApiEvent(proxyEvent, payload);
    }

    /// <summary>Writes a proxy integration response as API Gateway would; a malformed one is a 502, as in AWS.</summary>
    public static async Task WriteResponseAsync(ReadOnlyMemory<byte> lambdaResponse, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        APIGatewayProxyResponse? proxy;
        try
        {
            proxy = JsonSerializer.Deserialize(lambdaResponse.Span, RestApiJsonContext.Default.APIGatewayProxyResponse);
        }
        catch (JsonException)
        {
            proxy = null;
        }

        byte[]? bytes = null;
        try
        {
            bytes = proxy?.Body is not { Length: > 0 } body ? [] : proxy.IsBase64Encoded ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
        }
        catch (FormatException)
        {
            proxy = null;
        }

        if (proxy is null || bytes is null || proxy.StatusCode is < 100 or > 599)
        {
            await WriteProblemAsync(response, GatewayProblems.BadFunctionResponse("The function returned a malformed proxy response."), cancellationToken).ConfigureAwait(false);
            return;
        }

        response.StatusCode = proxy.StatusCode;
        foreach (var (name, values) in proxy.MultiValueHeaders ?? new Dictionary<string, IList<string>>())
        {
            response.Headers[name] = values.ToArray();
        }

        foreach (var (name, value) in proxy.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers with a problem the local API produces itself (where API Gateway answers without a function), with
    /// every header it carries (<c>Allow</c> on a 405).
    /// </summary>
    internal static async Task WriteProblemAsync(HttpResponse response, Problem problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var api = problem.ToResponse(GatewayProblems.TypesFor(response.HttpContext.Connection.LocalIpAddress, response.HttpContext.Connection.LocalPort), GatewayProblems.NewRequestId());
        response.StatusCode = api.StatusCode;
        response.ContentType = api.ContentType;
        response.ContentLength = api.Body.Length;
        foreach (var (name, value) in api.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(api.Body, cancellationToken).ConfigureAwait(false);
    }

    // A segment that is not UTF-8 never gets here through the local API (it refuses the path); kept as sent otherwise.
    private static string Decode(string segment) => MatchedRoute.DecodeSegment(segment) ?? segment;

    // Puts the body's bytes into the event's "body" string as they are, escaping only what JSON requires.
    private static byte[] SpliceRawText(byte[] payload, ReadOnlySpan<byte> body)
    {
        var marker = Encoding.ASCII.GetBytes("\"" + RawBodyMarker + "\"");
        var at = payload.AsSpan().IndexOf(marker);
        var output = new ArrayBufferWriter<byte>(payload.Length + body.Length + 16);
        output.Write(payload.AsSpan(0, at));
        output.Write("\""u8);
        while (body.Length > 0)
        {
            var control = body.IndexOfAnyInRange((byte)0, (byte)0x1f);
            var quote = body.IndexOfAny((byte)'"', (byte)'\\');
            var next = control < 0 ? quote : quote < 0 ? control : Math.Min(control, quote);
            if (next < 0)
            {
                output.Write(body);
                break;
            }

            output.Write(body[..next]);
            var b = body[next];
            output.Write(b is (byte)'"' or (byte)'\\' ? [(byte)'\\', b] : Encoding.ASCII.GetBytes("\\u" + b.ToString("x4", CultureInfo.InvariantCulture)));
            body = body[(next + 1)..];
        }

        output.Write("\""u8);
        output.Write(payload.AsSpan(at + marker.Length));
        return output.WrittenSpan.ToArray();
    }
}
