using System.Text.Json.Serialization;

namespace Publisher.Contracts;

/// <summary>The JSON document of an RFC 9457 problem, member for member as callers receive it.</summary>
/// <param name="Type">The problem type URI.</param>
/// <param name="Title">Short, fixed summary of the type.</param>
/// <param name="Status">HTTP status code.</param>
/// <param name="Detail">What was wrong with this request.</param>
/// <param name="Field">The request field at fault, or null (left out).</param>
/// <param name="RequestId">API Gateway's request id, or null (left out).</param>
public sealed record ProblemDetails(string Type, string Title, int Status, string Detail, string? Field, string? RequestId);

/// <summary>Source-generated JSON metadata of <see cref="ProblemDetails"/>, as both functions write it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDetails))]
public sealed partial class ProblemJsonContext : JsonSerializerContext
{
}
