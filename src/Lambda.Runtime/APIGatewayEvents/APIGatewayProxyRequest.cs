using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Lambda.Internal;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The event an API Gateway REST API (payload format 1.0) sends to a Lambda proxy integration.</summary>
public sealed class APIGatewayProxyRequest
{
    private IDictionary<string, string>? _headers;
    private IDictionary<string, IList<string>>? _multiValueHeaders;

    /// <summary>The resource path template, e.g. <c>/{proxy+}</c>.</summary>
    [JsonPropertyName("resource")]
    public string? Resource { get; set; }

    /// <summary>The request path, e.g. <c>/hello/world</c>.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    [JsonPropertyName("httpMethod")]
    public string? HttpMethod { get; set; }

    /// <summary>Request headers (last value of each); names are looked up case-insensitively.</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, string>? Headers
    {
        get => _headers;
        set => _headers = HeaderDictionary.CaseInsensitive(value);
    }

    /// <summary>Request headers with all their values; names are looked up case-insensitively.</summary>
    [JsonPropertyName("multiValueHeaders")]
    public IDictionary<string, IList<string>>? MultiValueHeaders
    {
        get => _multiValueHeaders;
        set => _multiValueHeaders = HeaderDictionary.CaseInsensitive(value);
    }

    /// <summary>Query string parameters (last value of each); null when there are none.</summary>
    [JsonPropertyName("queryStringParameters")]
    public IDictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>Query string parameters with all their values; null when there are none.</summary>
    [JsonPropertyName("multiValueQueryStringParameters")]
    public IDictionary<string, IList<string>>? MultiValueQueryStringParameters { get; set; }

    /// <summary>Values of the path template's parameters, e.g. <c>proxy</c>.</summary>
    [JsonPropertyName("pathParameters")]
    public IDictionary<string, string>? PathParameters { get; set; }

    /// <summary>The stage's variables.</summary>
    [JsonPropertyName("stageVariables")]
    public IDictionary<string, string>? StageVariables { get; set; }

    /// <summary>Who called, through which API and stage.</summary>
    [JsonPropertyName("requestContext")]
    public ProxyRequestContext? RequestContext { get; set; }

    /// <summary>The request body; null for an empty body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    /// <summary>The <c>requestContext</c> of a REST API event.</summary>
    public sealed class ProxyRequestContext
    {
        /// <summary>The API owner's AWS account id.</summary>
        [JsonPropertyName("accountId")]
        public string? AccountId { get; set; }

        /// <summary>The API Gateway resource id.</summary>
        [JsonPropertyName("resourceId")]
        public string? ResourceId { get; set; }

        /// <summary>The deployment stage, e.g. <c>prod</c>.</summary>
        [JsonPropertyName("stage")]
        public string? Stage { get; set; }

        /// <summary>API Gateway's id of this request.</summary>
        [JsonPropertyName("requestId")]
        public string? RequestId { get; set; }

        /// <summary>The caller's identity.</summary>
        [JsonPropertyName("identity")]
        public RequestContextIdentity? Identity { get; set; }

        /// <summary>The resource path template.</summary>
        [JsonPropertyName("resourcePath")]
        public string? ResourcePath { get; set; }

        /// <summary>The HTTP method.</summary>
        [JsonPropertyName("httpMethod")]
        public string? HttpMethod { get; set; }

        /// <summary>The API id.</summary>
        [JsonPropertyName("apiId")]
        public string? ApiId { get; set; }

        /// <summary>Request time in CLF format, e.g. <c>20/Feb/2018:22:48:57 +0000</c>.</summary>
        [JsonPropertyName("requestTime")]
        public string? RequestTime { get; set; }

        /// <summary>Request time in Unix epoch milliseconds.</summary>
        [JsonPropertyName("requestTimeEpoch")]
        public long RequestTimeEpoch { get; set; }

        /// <summary>The full request path including the stage.</summary>
        [JsonPropertyName("path")]
        public string? Path { get; set; }

        /// <summary>The request protocol, e.g. <c>HTTP/1.1</c>.</summary>
        [JsonPropertyName("protocol")]
        public string? Protocol { get; set; }

        /// <summary>The domain name the caller used.</summary>
        [JsonPropertyName("domainName")]
        public string? DomainName { get; set; }

        /// <summary>What a Lambda or Cognito authorizer returned (claims, principalId, context values).</summary>
        [JsonPropertyName("authorizer")]
        public IDictionary<string, JsonElement>? Authorizer { get; set; }
    }

    /// <summary>The <c>requestContext.identity</c> of a REST API event.</summary>
    public sealed class RequestContextIdentity
    {
        /// <summary>The caller's source IP address.</summary>
        [JsonPropertyName("sourceIp")]
        public string? SourceIp { get; set; }

        /// <summary>The API key used, if any.</summary>
        [JsonPropertyName("apiKey")]
        public string? ApiKey { get; set; }

        /// <summary>The id of the API key used, if any.</summary>
        [JsonPropertyName("apiKeyId")]
        public string? ApiKeyId { get; set; }

        /// <summary>The IAM user's ARN (IAM auth).</summary>
        [JsonPropertyName("userArn")]
        public string? UserArn { get; set; }

        /// <summary>The principal id of the user (IAM auth).</summary>
        [JsonPropertyName("user")]
        public string? User { get; set; }

        /// <summary>The caller's User-Agent.</summary>
        [JsonPropertyName("userAgent")]
        public string? UserAgent { get; set; }

        /// <summary>The principal id of the caller (IAM auth).</summary>
        [JsonPropertyName("caller")]
        public string? Caller { get; set; }

        /// <summary>The access key of the caller (IAM auth).</summary>
        [JsonPropertyName("accessKey")]
        public string? AccessKey { get; set; }

        /// <summary>The caller's AWS account id (IAM auth).</summary>
        [JsonPropertyName("accountId")]
        public string? AccountId { get; set; }

        /// <summary>The Cognito identity id.</summary>
        [JsonPropertyName("cognitoIdentityId")]
        public string? CognitoIdentityId { get; set; }

        /// <summary>The Cognito identity pool id.</summary>
        [JsonPropertyName("cognitoIdentityPoolId")]
        public string? CognitoIdentityPoolId { get; set; }

        /// <summary>The Cognito authentication type (authenticated or unauthenticated).</summary>
        [JsonPropertyName("cognitoAuthenticationType")]
        public string? CognitoAuthenticationType { get; set; }

        /// <summary>The Cognito authentication provider.</summary>
        [JsonPropertyName("cognitoAuthenticationProvider")]
        public string? CognitoAuthenticationProvider { get; set; }

        /// <summary>The client certificate of mutual TLS, if used.</summary>
        [JsonPropertyName("clientCert")]
        public ProxyRequestClientCert? ClientCert { get; set; }
    }

    /// <summary>The <c>identity.clientCert</c> of a REST API event (mutual TLS).</summary>
    public sealed class ProxyRequestClientCert
    {
        /// <summary>The PEM-encoded client certificate.</summary>
        [JsonPropertyName("clientCertPem")]
        public string? ClientCertPem { get; set; }

        /// <summary>The certificate's subject distinguished name.</summary>
        [JsonPropertyName("subjectDN")]
        public string? SubjectDN { get; set; }

        /// <summary>The issuer's distinguished name.</summary>
        [JsonPropertyName("issuerDN")]
        public string? IssuerDN { get; set; }

        /// <summary>The certificate's serial number.</summary>
        [JsonPropertyName("serialNumber")]
        public string? SerialNumber { get; set; }

        /// <summary>The certificate's validity period.</summary>
        [JsonPropertyName("validity")]
        public ClientCertValidity? Validity { get; set; }
    }

    /// <summary>The validity period of a client certificate.</summary>
    public sealed class ClientCertValidity
    {
        /// <summary>Start of validity, e.g. <c>May 28 12:30:02 2019 GMT</c>.</summary>
        [JsonPropertyName("notBefore")]
        public string? NotBefore { get; set; }

        /// <summary>End of validity.</summary>
        [JsonPropertyName("notAfter")]
        public string? NotAfter { get; set; }
    }
}
