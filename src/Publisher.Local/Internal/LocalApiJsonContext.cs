using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;

namespace Publisher.Local.Internal;

/// <summary>The REST API event and response as API Gateway writes and reads them (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(APIGatewayProxyRequest))]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
internal sealed partial class LocalApiJsonContext : JsonSerializerContext;
