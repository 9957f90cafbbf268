using System.Text.Json.Serialization;
using Amazon.Lambda.Internal;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The result a function returns to an API Gateway HTTP API (payload format 2.0) or a function URL.</summary>
public sealed class APIGatewayHttpApiV2ProxyResponse
{
    private IDictionary<string, string>? _headers;

    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    /// <summary>Response headers (several values joined with commas); names are looked up case-insensitively.</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, string>? Headers
    {
        get => _headers;
        set => _headers = HeaderDictionary.CaseInsensitive(value);
    }

    /// <summary>Cookies to set, each a Set-Cookie value.</summary>
    [JsonPropertyName("cookies")]
    public string[]? Cookies { get; set; }

    /// <summary>The response body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64 (binary content).</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}
