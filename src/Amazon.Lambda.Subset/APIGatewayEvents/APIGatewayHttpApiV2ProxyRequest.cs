namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The event an API Gateway HTTP API (payload format 2.0) or a function URL sends to Lambda
/// (official: Amazon.Lambda.APIGatewayEvents).</summary>
public class APIGatewayHttpApiV2ProxyRequest
{
    /// <summary>The payload format version, <c>2.0</c>.</summary>
    public string Version { get; set; }

    /// <summary>The matched route, e.g. <c>POST /topics/{topicName}</c>, or <c>$default</c>.</summary>
    public string RouteKey { get; set; }

    /// <summary>The request path, with a named stage's prefix and any custom domain's base path.</summary>
    public string RawPath { get; set; }

    /// <summary>The query string as sent, without the <c>?</c>.</summary>
    public string RawQueryString { get; set; }

    /// <summary>The request's cookies.</summary>
    public string[] Cookies { get; set; }

    /// <summary>Request headers, names lower-cased, repeated ones joined with commas.</summary>
    public IDictionary<string, string> Headers { get; set; }

    /// <summary>Query string parameters (repeated ones joined with commas); null when there are none.</summary>
    public IDictionary<string, string> QueryStringParameters { get; set; }

    /// <summary>Who called, through which API, route and stage.</summary>
    public ProxyRequestContext RequestContext { get; set; }

    /// <summary>The request body; null for an empty body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    public string Body { get; set; }

    /// <summary>Values of the route's path parameters (decoded).</summary>
    public IDictionary<string, string> PathParameters { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    public bool IsBase64Encoded { get; set; }

    /// <summary>The stage's variables.</summary>
    public IDictionary<string, string> StageVariables { get; set; }

    /// <summary>The <c>requestContext</c> of an HTTP API event.</summary>
    public class ProxyRequestContext
    {
        /// <summary>The API owner's AWS account id.</summary>
        public string AccountId { get; set; }

        /// <summary>The API id.</summary>
        public string ApiId { get; set; }

        /// <summary>The domain name the caller used.</summary>
        public string DomainName { get; set; }

        /// <summary>The first label of <see cref="DomainName"/>.</summary>
        public string DomainPrefix { get; set; }

        /// <summary>The HTTP request line and caller.</summary>
        public HttpDescription Http { get; set; }

        /// <summary>API Gateway's id of this request.</summary>
        public string RequestId { get; set; }

        /// <summary>The matched route's id.</summary>
        public string RouteId { get; set; }

        /// <summary>The matched route.</summary>
        public string RouteKey { get; set; }

        /// <summary>The stage, e.g. <c>$default</c>.</summary>
        public string Stage { get; set; }

        /// <summary>Request time in CLF format.</summary>
        public string Time { get; set; }

        /// <summary>Request time in Unix epoch milliseconds.</summary>
        public long TimeEpoch { get; set; }
    }

    /// <summary>The <c>requestContext.http</c> of an HTTP API event.</summary>
    public class HttpDescription
    {
        /// <summary>The HTTP method.</summary>
        public string Method { get; set; }

        /// <summary>The request path.</summary>
        public string Path { get; set; }

        /// <summary>The protocol, e.g. <c>HTTP/1.1</c>.</summary>
        public string Protocol { get; set; }

        /// <summary>The caller's source IP address.</summary>
        public string SourceIp { get; set; }

        /// <summary>The caller's User-Agent.</summary>
        public string UserAgent { get; set; }
    }
}
