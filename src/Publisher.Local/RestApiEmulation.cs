using System.Buffers;
using System.Buffers.Text;
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
/// <param name="Event">The event without its <c>Body</c>: the body is written into <paramref name="Payload"/> straight from the request's bytes.</param>
/// <param name="Payload">The invocation payload.</param>
public sealed record RestApiEvent(APIGatewayProxyRequest Event, byte[] Payload);

/// <summary>Does what API Gateway's REST API proxy integration does for this stack: HTTP request → 1.0 event, proxy response → HTTP response.</summary>
public static class RestApiEmulation
{
    // What JSON requires escaped in a string: the quote, the backslash and the C0 controls.
    private static readonly SearchValues<byte> MustEscape = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

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
    /// The body goes from the request's bytes into the payload once: no string of it, no escaped copy.
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
            IsBase64Encoded = body.Length > 0 && binary,
        };
        var envelope = JsonSerializer.SerializeToUtf8Bytes(proxyEvent, RestApiJsonContext.Default.APIGatewayProxyRequest);
        return new RestApiEvent(proxyEvent, body.Length == 0 ? envelope : WithBody(envelope, body.Span, binary));
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

    // The serialized event (its closing brace dropped) and its "body" member, in one array of the exact size: base64
    // for a binary media type, else the bytes as they are with only what JSON requires escaped.
    private static byte[] WithBody(byte[] envelope, ReadOnlySpan<byte> body, bool base64)
    {
        var member = ",\"body\":\""u8;
        var length = base64 ? Base64.GetMaxEncodedToUtf8Length(body.Length) : EscapedLength(body);
        var payload = new byte[envelope.Length - 1 + member.Length + length + 2];
        envelope.AsSpan(0, envelope.Length - 1).CopyTo(payload);
        var output = payload.AsSpan(envelope.Length - 1);
        member.CopyTo(output);
        output = output[member.Length..];
        if (base64)
        {
            Base64.EncodeToUtf8(body, output, out _, out _);
        }
        else
        {
            WriteEscaped(body, output);
        }

        "\"}"u8.CopyTo(output[length..]);
        return payload;
    }

    private static int EscapedLength(ReadOnlySpan<byte> text)
    {
        var length = text.Length;
        for (int next; (next = text.IndexOfAny(MustEscape)) >= 0; text = text[(next + 1)..])
        {
            length += text[next] < 0x20 ? 5 : 1;
        }

        return length;
    }

    private static void WriteEscaped(ReadOnlySpan<byte> text, Span<byte> output)
    {
        for (int next; (next = text.IndexOfAny(MustEscape)) >= 0; text = text[(next + 1)..])
        {
            text[..next].CopyTo(output);
            output = output[next..];
            var b = text[next];
            if (b < 0x20)
            {
                // \u00XX, as the serializer writes a control character.
                "\\u00"u8.CopyTo(output);
                output[4] = HexDigit(b >> 4);
                output[5] = HexDigit(b & 0xf);
                output = output[6..];
            }
            else
            {
                output[0] = (byte)'\\';
                output[1] = b;
                output = output[2..];
            }
        }

        text.CopyTo(output);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
