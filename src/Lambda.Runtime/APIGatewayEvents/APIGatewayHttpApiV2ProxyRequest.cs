using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.Internal;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The event an API Gateway HTTP API (payload format 2.0) or a function URL sends to Lambda.</summary>
public sealed class APIGatewayHttpApiV2ProxyRequest
{
    private IDictionary<string, string>? _headers;

    /// <summary>The payload format version, <c>2.0</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>The matched route, e.g. <c>POST /topics/{name}</c> or <c>$default</c>.</summary>
    [JsonPropertyName("routeKey")]
    public string? RouteKey { get; set; }

    /// <summary>The request path, e.g. <c>/my/path</c>.</summary>
    [JsonPropertyName("rawPath")]
    public string? RawPath { get; set; }

    /// <summary>The query string as sent, without the <c>?</c>.</summary>
    [JsonPropertyName("rawQueryString")]
    public string? RawQueryString { get; set; }

    /// <summary>The request's cookies, each <c>name=value</c>.</summary>
    [JsonPropertyName("cookies")]
    public string[]? Cookies { get; set; }

    /// <summary>Request headers (repeated ones joined with commas); names are looked up case-insensitively.</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, string>? Headers
    {
        get => _headers;
        set => _headers = HeaderDictionary.CaseInsensitive(value);
    }

    /// <summary>Query string parameters (repeated ones joined with commas); null when there are none.</summary>
    [JsonPropertyName("queryStringParameters")]
    public IDictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>Values of the route's path parameters.</summary>
    [JsonPropertyName("pathParameters")]
    public IDictionary<string, string>? PathParameters { get; set; }

    /// <summary>The stage's variables.</summary>
    [JsonPropertyName("stageVariables")]
    public IDictionary<string, string>? StageVariables { get; set; }

    /// <summary>Who called, through which API, route and stage.</summary>
    [JsonPropertyName("requestContext")]
    public ProxyRequestContext? RequestContext { get; set; }

    /// <summary>The request body; null for an empty body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    /// <summary>The <c>requestContext</c> of an HTTP API event.</summary>
    public sealed class ProxyRequestContext
    {
        /// <summary>The API owner's AWS account id.</summary>
        [JsonPropertyName("accountId")]
        public string? AccountId { get; set; }

        /// <summary>The API id.</summary>
        [JsonPropertyName("apiId")]
        public string? ApiId { get; set; }

        /// <summary>What the authorizer returned (<c>jwt</c>, <c>lambda</c> or <c>iam</c>), as raw JSON.</summary>
        [JsonPropertyName("authorizer")]
        public JsonElement? Authorizer { get; set; }

        /// <summary>The domain name the caller used.</summary>
        [JsonPropertyName("domainName")]
        public string? DomainName { get; set; }

        /// <summary>The first label of <see cref="DomainName"/>.</summary>
        [JsonPropertyName("domainPrefix")]
        public string? DomainPrefix { get; set; }

        /// <summary>The HTTP request line and caller.</summary>
        [JsonPropertyName("http")]
        public HttpDescription? Http { get; set; }

        /// <summary>API Gateway's id of this request.</summary>
        [JsonPropertyName("requestId")]
        public string? RequestId { get; set; }

        /// <summary>The matched route's id.</summary>
        [JsonPropertyName("routeId")]
        public string? RouteId { get; set; }

        /// <summary>The matched route.</summary>
        [JsonPropertyName("routeKey")]
        public string? RouteKey { get; set; }

        /// <summary>The stage, e.g. <c>$default</c>.</summary>
        [JsonPropertyName("stage")]
        public string? Stage { get; set; }

        /// <summary>Request time in CLF format, e.g. <c>12/Mar/2020:19:03:58 +0000</c>.</summary>
        [JsonPropertyName("time")]
        public string? Time { get; set; }

        /// <summary>Request time in Unix epoch milliseconds.</summary>
        [JsonPropertyName("timeEpoch")]
        public long TimeEpoch { get; set; }
    }

    /// <summary>The <c>requestContext.http</c> of an HTTP API event.</summary>
    public sealed class HttpDescription
    {
        /// <summary>The HTTP method.</summary>
        [JsonPropertyName("method")]
        public string? Method { get; set; }

        /// <summary>The request path.</summary>
        [JsonPropertyName("path")]
        public string? Path { get; set; }

        /// <summary>The protocol, e.g. <c>HTTP/1.1</c>.</summary>
        [JsonPropertyName("protocol")]
        public string? Protocol { get; set; }

        /// <summary>The caller's source IP address.</summary>
        [JsonPropertyName("sourceIp")]
        public string? SourceIp { get; set; }

        /// <summary>The caller's User-Agent.</summary>
        [JsonPropertyName("userAgent")]
        public string? UserAgent { get; set; }
    }
}
