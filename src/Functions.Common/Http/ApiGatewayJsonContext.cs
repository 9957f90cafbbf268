using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;

namespace Functions.Common.Http;

// One context per payload version: the two event types nest classes of the same names (ProxyRequestContext,
// ProxyRequestClientCert, ...), which one source-generated context cannot tell apart.
// The Lambda serializer creates its own instances with Lambda's options; each default instance writes events
// with API Gateway's camelCase names (the local API builds events with them).

/// <summary>Source-generated JSON metadata of the REST API (payload 1.0) event and response.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(APIGatewayProxyRequest))]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
public sealed partial class RestApiJsonContext : JsonSerializerContext
{
}

/// <summary>Source-generated JSON metadata of the HTTP API / function URL (payload 2.0) event and response.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
public sealed partial class HttpApiJsonContext : JsonSerializerContext
{
}
