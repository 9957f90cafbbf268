using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;

namespace Publisher.Local;

/// <summary>Does what API Gateway's REST API proxy integration does: HTTP request → 1.0 event, proxy response → HTTP response.</summary>
public static class RestApiEmulation
{
    /// <summary>The resource templates the deployed API has, so events carry the same <c>resource</c> values.</summary>
    public static string ResourceFor(string path) => path.TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries) switch
    {
        ["topics"] => "/topics",
        ["topics", _] => "/topics/{topicName}",
        ["batch"] => "/batch",
        ["verify"] => "/verify",
        _ => "/{proxy+}",
    };

    /// <summary>Builds the REST API proxy event for a request, reading at most <paramref name="maxBodyBytes"/> + 1 bytes of body.</summary>
    public static async Task<APIGatewayProxyRequest> ToEventAsync(HttpRequest request, string stage, int maxBodyBytes, CancellationToken cancellationToken)
    {
        // REST APIs hand the function the path still percent-encoded; Kestrel's Path is decoded.
        var rawTarget = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        var path = rawTarget is { Length: > 0 } && rawTarget[0] == '/' ? rawTarget.Split('?', 2)[0] : request.Path.HasValue ? request.Path.Value! : "/";
        var resource = ResourceFor(path);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var multiHeaders = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
            multiHeaders[header.Key] = header.Value.Select(v => v ?? string.Empty).ToList();
        }

        var query = request.Query.Count == 0 ? null : request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var multiQuery = request.Query.Count == 0
            ? null
            : request.Query.ToDictionary(q => q.Key, q => (IList<string>)q.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.Ordinal);

        // Read one byte past the cap so the function sees "too large" without us buffering an unbounded body.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBodyBytes)
            {
                break;
            }
        }

        var bytes = buffer.ToArray();
        var isText = bytes.Length == 0 || MediaTypes.IsText(MediaTypes.Essence(request.ContentType));
        var now = DateTimeOffset.UtcNow;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new APIGatewayProxyRequest
        {
            Resource = resource,
            Path = path,
            HttpMethod = request.Method.ToUpperInvariant(),
            Headers = headers,
            MultiValueHeaders = multiHeaders,
            QueryStringParameters = query,
            MultiValueQueryStringParameters = multiQuery,
            PathParameters = resource == "/topics/{topicName}" ? new Dictionary<string, string> { ["topicName"] = Uri.UnescapeDataString(segments[1]) } : null,
            RequestContext = new APIGatewayProxyRequest.ProxyRequestContext
            {
                AccountId = "123456789012",
                ApiId = "local",
                Stage = stage,
                RequestId = Guid.NewGuid().ToString(),
                ResourcePath = resource,
                HttpMethod = request.Method.ToUpperInvariant(),
                Path = "/" + stage + path,
                RequestTime = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                RequestTimeEpoch = now.ToUnixTimeMilliseconds(),
                Identity = new APIGatewayProxyRequest.RequestIdentity
                {
                    SourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = request.Headers.UserAgent.ToString(),
                },
            },
            Body = bytes.Length == 0 ? null : isText ? Encoding.UTF8.GetString(bytes) : Convert.ToBase64String(bytes),
            IsBase64Encoded = !isText,
        };
    }

    /// <summary>Writes a proxy integration response as API Gateway would; a malformed one is a 502, as in AWS.</summary>
    public static async Task WriteResponseAsync(ReadOnlyMemory<byte> lambdaResponse, HttpResponse response, CancellationToken cancellationToken)
    {
        APIGatewayProxyResponse? proxy;
        try
        {
            proxy = JsonSerializer.Deserialize(lambdaResponse.Span, RestApiJsonContext.Default.APIGatewayProxyResponse);
        }
        catch (JsonException)
        {
            proxy = null;
        }

        if (proxy is null || proxy.StatusCode is < 100 or > 599)
        {
            response.StatusCode = 502;
            response.ContentType = MediaTypes.ProblemJson;
            await response.WriteAsync(
                "{\"type\":\"" + HttpContract.ProblemTypes.BaseUri + HttpContract.ProblemTypes.InternalError + "\",\"title\":\"Internal server error\",\"status\":502,\"detail\":\"The function returned a malformed proxy response.\"}",
                cancellationToken).ConfigureAwait(false);
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

        if (proxy.Body is { Length: > 0 } body)
        {
            var bytes = proxy.IsBase64Encoded ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
            await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }
}
