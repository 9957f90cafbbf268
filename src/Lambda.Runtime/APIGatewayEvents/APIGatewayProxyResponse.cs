using System.Text.Json.Serialization;
using Amazon.Lambda.Internal;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The result a Lambda proxy integration returns to an API Gateway REST API (payload format 1.0).</summary>
public sealed class APIGatewayProxyResponse
{
    private IDictionary<string, string>? _headers;
    private IDictionary<string, IList<string>>? _multiValueHeaders;

    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    /// <summary>Response headers (one value each); names are looked up case-insensitively.</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, string>? Headers
    {
        get => _headers;
        set => _headers = HeaderDictionary.CaseInsensitive(value);
    }

    /// <summary>Response headers with several values; names are looked up case-insensitively.</summary>
    [JsonPropertyName("multiValueHeaders")]
    public IDictionary<string, IList<string>>? MultiValueHeaders
    {
        get => _multiValueHeaders;
        set => _multiValueHeaders = HeaderDictionary.CaseInsensitive(value);
    }

    /// <summary>The response body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64 (binary content).</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}
