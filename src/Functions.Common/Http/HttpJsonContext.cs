using System.Text.Json.Serialization;

namespace Functions.Common.Http;

/// <summary>Source-generated JSON metadata of what Functions.Common writes for both functions.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class HttpJsonContext : JsonSerializerContext
{
}
