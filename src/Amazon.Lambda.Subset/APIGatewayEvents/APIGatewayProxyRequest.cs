namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The event an API Gateway REST API (payload format 1.0) sends to a Lambda proxy integration
/// (official: Amazon.Lambda.APIGatewayEvents). Property names carry no JSON attributes, as in the official
/// type: the serializer's case-insensitive matching reads the event's camelCase names.</summary>
public class APIGatewayProxyRequest
{
    /// <summary>The matched resource path template, e.g. <c>/topics/{topicName}</c> or <c>/{proxy+}</c>.</summary>
    public string Resource { get; set; }

    /// <summary>The request path as the caller sent it (with any custom domain's base path).</summary>
    public string Path { get; set; }

    /// <summary>The HTTP method.</summary>
    public string HttpMethod { get; set; }

    /// <summary>Request headers (last value of each), in the caller's case.</summary>
    public IDictionary<string, string> Headers { get; set; }

    /// <summary>Request headers with all their values.</summary>
    public IDictionary<string, IList<string>> MultiValueHeaders { get; set; }

    /// <summary>Query string parameters (last value of each); null when there are none.</summary>
    public IDictionary<string, string> QueryStringParameters { get; set; }

    /// <summary>Query string parameters with all their values; null when there are none.</summary>
    public IDictionary<string, IList<string>> MultiValueQueryStringParameters { get; set; }

    /// <summary>Values of the resource template's parameters (decoded), e.g. <c>topicName</c> or <c>proxy</c>.</summary>
    public IDictionary<string, string> PathParameters { get; set; }

    /// <summary>The stage's variables.</summary>
    public IDictionary<string, string> StageVariables { get; set; }

    /// <summary>Who called, through which API, resource and stage.</summary>
    public ProxyRequestContext RequestContext { get; set; }

    /// <summary>The request body; null for an empty body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    public string Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64 (binary media types).</summary>
    public bool IsBase64Encoded { get; set; }

    /// <summary>The <c>requestContext</c> of a REST API event.</summary>
    public class ProxyRequestContext
    {
        /// <summary>The full request path, with the stage or custom domain's base path.</summary>
        public string Path { get; set; }

        /// <summary>The API owner's AWS account id.</summary>
        public string AccountId { get; set; }

        /// <summary>The API Gateway resource id.</summary>
        public string ResourceId { get; set; }

        /// <summary>The deployment stage.</summary>
        public string Stage { get; set; }

        /// <summary>API Gateway's id of this request.</summary>
        public string RequestId { get; set; }

        /// <summary>The caller's identity.</summary>
        public RequestIdentity Identity { get; set; }

        /// <summary>The matched resource path template.</summary>
        public string ResourcePath { get; set; }

        /// <summary>The HTTP method.</summary>
        public string HttpMethod { get; set; }

        /// <summary>The API id.</summary>
        public string ApiId { get; set; }

        /// <summary>The domain name the caller used.</summary>
        public string DomainName { get; set; }

        /// <summary>Request time in CLF format.</summary>
        public string RequestTime { get; set; }

        /// <summary>Request time in Unix epoch milliseconds.</summary>
        public long RequestTimeEpoch { get; set; }
    }

    /// <summary>The <c>requestContext.identity</c> of a REST API event.</summary>
    public class RequestIdentity
    {
        /// <summary>The caller's source IP address.</summary>
        public string SourceIp { get; set; }

        /// <summary>The API key used, if any.</summary>
        public string ApiKey { get; set; }

        /// <summary>The id of the API key used, if any.</summary>
        public string ApiKeyId { get; set; }

        /// <summary>The caller's User-Agent.</summary>
        public string UserAgent { get; set; }

        /// <summary>The IAM user's ARN (IAM auth).</summary>
        public string UserArn { get; set; }
    }
}
