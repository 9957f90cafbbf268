using System.Text.Json.Serialization;

namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The result a function returns to an API Gateway REST API proxy integration (official: Amazon.Lambda.APIGatewayEvents).</summary>
public class APIGatewayProxyResponse
{
    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    /// <summary>Response headers (one value each).</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, string> Headers { get; set; }

    /// <summary>Response headers with several values.</summary>
    [JsonPropertyName("multiValueHeaders")]
    public IDictionary<string, IList<string>> MultiValueHeaders { get; set; }

    /// <summary>The response body; base64 when <see cref="IsBase64Encoded"/>.</summary>
    [JsonPropertyName("body")]
    public string Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64 (binary content).</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }
}
