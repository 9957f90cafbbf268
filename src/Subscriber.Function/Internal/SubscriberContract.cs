using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Subscriber.Function.Internal;

/// <summary>A verification request as JSON (<c>POST /verify</c> or a direct invocation). Every member may be absent,
/// none may be null; which are required and how they combine are rules (the query string has the same).</summary>
internal sealed record VerifyRequestBody
{
    [DisallowNull]
    public string? Topic { get; init; }

    [DisallowNull]
    public int? ListenMs { get; init; }

    [DisallowNull]
    public int? Count { get; init; }

    // "Equals" would hide object.Equals.
    [DisallowNull]
    [JsonPropertyName("equals")]
    public string? EqualsText { get; init; }

    [DisallowNull]
    public string? Contains { get; init; }
}

/// <summary>The subscriber's JSON contract, strict like the publisher's (see <c>StrictJson</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(VerifyRequestBody))]
[JsonSerializable(typeof(VerifyResult))]
internal sealed partial class SubscriberJsonContext : JsonSerializerContext
{
}
