using System.Text.Json.Serialization;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The result a function returns to an API Gateway HTTP API or a function URL (official: Amazon.Lambda.APIGatewayEvents).</summary>
public class APIGatewayHttpApiV2ProxyResponse
{
    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    /// <summary>Response headers (several values joined with commas).</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, string> Headers { get; set; }

    /// <summary>Cookies to set.</summary>
    [JsonPropertyName("cookies")]
    public string[] Cookies { get; set; }

    /// <summary>The response body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    [JsonPropertyName("body")]
    public string Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}
