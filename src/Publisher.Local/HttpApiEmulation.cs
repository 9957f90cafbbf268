using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;
using Publisher.Local.Internal;

namespace Publisher.Local;

/// <summary>A payload 2.0 event (HTTP API or function URL): as an object, which function it goes to, and the exact bytes the function is invoked with.</summary>
/// <param name="Event">The event.</param>
/// <param name="Target">The function the door sends it to.</param>
/// <param name="Payload">The invocation payload.</param>
public sealed record HttpApiEvent(APIGatewayHttpApiV2ProxyRequest Event, RouteTarget Target, byte[] Payload);

/// <summary>
/// Does what an HTTP API's Lambda proxy integration (payload 2.0) and a Lambda function URL do before and after the
/// function: HTTP request → 2.0 event, the function's 2.0 response → HTTP response. The HTTP API names the route it
/// matched (<see cref="HttpRoutes"/>, else <c>$default</c>) with decoded path parameters; a function URL says
/// <c>$default</c> and leaves routing to the raw path. Both lower-case header names and join repeated headers and
/// query values with commas, put cookies in their own list, add the <c>X-Forwarded-*</c> headers, and hand a body
/// over as text when its content type is textual and it is UTF-8, base64 otherwise.
/// </summary>
public static class HttpApiEmulation
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The route a request takes through <paramref name="door"/>: an HTTP API's matched route with its decoded path
    /// parameters, or <c>$default</c> to the publisher; behind function URLs, <c>$default</c> to the function whose URL
    /// the path is on (the local runner serves both URLs on one port: <c>/verify</c> is the subscriber's).
    /// </summary>
    public static (string RouteKey, IDictionary<string, string>? PathParameters, RouteTarget Target) Route(FrontDoor door, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (door == FrontDoor.FunctionUrl)
        {
            var first = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return (HttpRoutes.DefaultRouteKey, null, first == "verify" ? RouteTarget.Subscriber : RouteTarget.Publisher);
        }

        return HttpRoutes.Match(method, path, MatchedRoute.DecodeSegment) is var (route, parameters)
            ? (route.RouteKey, parameters, route.Target)
            : (HttpRoutes.DefaultRouteKey, null, RouteTarget.Publisher);
    }

    /// <summary>Whether the door hands a body of this content type over as text (when it is UTF-8): text, JSON, XML and JavaScript types.</summary>
    public static bool IsTextual(string? contentType)
    {
        var essence = MediaTypes.Essence(contentType);
        return essence is not null
            && (essence.StartsWith("text/", StringComparison.Ordinal)
                || MediaTypes.IsJson(essence)
                || essence is "application/xml" or "application/javascript" or "application/x-www-form-urlencoded"
                || essence.EndsWith("+xml", StringComparison.Ordinal));
    }

    /// <summary>Builds the 2.0 event <paramref name="door"/> sends for a request whose body was read.</summary>
    public static HttpApiEvent ToEvent(HttpRequest request, FrontDoor door, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (door == FrontDoor.RestApi)
        {
            throw new ArgumentException("A REST API sends payload 1.0 events: see RestApiEmulation.", nameof(door));
        }

        var method = request.Method.ToUpperInvariant();
        var path = RestApiEmulation.RawPath(request);
        var (routeKey, pathParameters, target) = Route(door, method, path);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string[]? cookies = null;
        foreach (var header in request.Headers)
        {
            var name = header.Key.ToLowerInvariant();
            if (name == "cookie")
            {
                cookies = header.Value.SelectMany(v => (v ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
                continue;
            }

            headers[name] = string.Join(',', header.Value.Select(v => v ?? string.Empty));
        }

        var sourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        headers["x-forwarded-for"] = headers.TryGetValue("x-forwarded-for", out var forwarded) ? forwarded + ", " + sourceIp : sourceIp;
        headers["x-forwarded-proto"] = request.Scheme;
        headers["x-forwarded-port"] = request.HttpContext.Connection.LocalPort.ToString(CultureInfo.InvariantCulture);

        var query = request.Query.Count == 0
            ? null
            : request.Query.ToDictionary(q => q.Key, q => string.Join(',', q.Value.Select(v => v ?? string.Empty)), StringComparer.Ordinal);

        string? text = null;
        if (body.Length > 0 && IsTextual(request.ContentType))
        {
            try
            {
                text = StrictUtf8.GetString(body.Span);
            }
            catch (DecoderFallbackException)
            {
                // Bytes that are not UTF-8 cannot travel in a JSON string: they go base64, and the function refuses them.
            }
        }

        var now = DateTimeOffset.UtcNow;
        var host = request.Host.HasValue ? request.Host.Value : "127.0.0.1";
        var apiId = door == FrontDoor.FunctionUrl ? "local-url" : "local";
        var requestId = GatewayProblems.NewRequestId();
        var httpEvent = new APIGatewayHttpApiV2ProxyRequest
        {
            Version = "2.0",
            RouteKey = routeKey,
            RawPath = path,
            RawQueryString = request.QueryString.HasValue ? request.QueryString.Value[1..] : string.Empty,
            Cookies = cookies,
            Headers = headers,
            QueryStringParameters = query,
            PathParameters = pathParameters,
            RequestContext = new APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext
            {
                AccountId = "123456789012",
                ApiId = apiId,
                DomainName = host,
                DomainPrefix = host.Split('.', ':')[0],
                Http = new APIGatewayHttpApiV2ProxyRequest.HttpDescription
                {
                    Method = method,
                    Path = path,
                    Protocol = request.Protocol,
                    SourceIp = sourceIp,
                    UserAgent = request.Headers.UserAgent.ToString(),
                },
                RequestId = requestId,
                RouteKey = routeKey,
                Stage = "$default",
                Time = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                TimeEpoch = now.ToUnixTimeMilliseconds(),
            },
            Body = body.Length == 0 ? null : text ?? Convert.ToBase64String(body.Span),
            IsBase64Encoded = body.Length > 0 && text is null,
        };
        return new HttpApiEvent(httpEvent, target, JsonSerializer.SerializeToUtf8Bytes(httpEvent, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest));
    }

    /// <summary>Writes a 2.0 response as the door would; a malformed one is a 502, as in AWS.</summary>
    public static async Task WriteResponseAsync(ReadOnlyMemory<byte> lambdaResponse, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        APIGatewayHttpApiV2ProxyResponse? answer;
        byte[]? bytes = null;
        try
        {
            answer = JsonSerializer.Deserialize(lambdaResponse.Span, HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);
            bytes = answer?.Body is not { Length: > 0 } body ? [] : answer.IsBase64Encoded ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            answer = null;
        }

        if (answer is null || bytes is null || answer.StatusCode is < 100 or > 599)
        {
            await RestApiEmulation.WriteProblemAsync(response, GatewayProblems.BadFunctionResponse("The function returned a malformed response."), cancellationToken).ConfigureAwait(false);
            return;
        }

        response.StatusCode = answer.StatusCode;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (answer.Cookies is { Length: > 0 } set)
        {
            response.Headers.SetCookie = set;
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
