using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Publisher.Contracts;

/// <summary>A verification request as JSON (<c>POST /verify</c> or a direct invocation). Every member may be absent,
/// none may be null; which are required and how they combine are rules (the query string has the same).</summary>
public sealed record VerifyRequestBody
{
    /// <summary>The topic to subscribe to.</summary>
    [DisallowNull]
    public string? Topic { get; init; }

    /// <summary>Longest time to listen, in ms.</summary>
    [DisallowNull]
    public int? ListenMs { get; init; }

    /// <summary>Stop once this many items arrived.</summary>
    [DisallowNull]
    public int? Count { get; init; }

    /// <summary>Stop once a text item equal to this arrives. ("Equals" would hide object.Equals.)</summary>
    [DisallowNull]
    [JsonPropertyName("equals")]
    public string? EqualsText { get; init; }

    /// <summary>Stop once a text item containing this arrives.</summary>
    [DisallowNull]
    public string? Contains { get; init; }
}

/// <summary>The subscriber's JSON contract, strict like the publisher's (see <see cref="PublisherJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(VerifyRequestBody))]
[JsonSerializable(typeof(VerifyResult))]
public sealed partial class SubscriberJsonContext : JsonSerializerContext
{
}

/// <summary>
/// What a client of the API reads (the deployment checker): the answers as the functions write them, but tolerant of
/// members it does not know, so a newer service (an added member) does not break an older client. Members the
/// records require are still required, so an answer of another kind is not mistaken for one of these.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(VerifyResult))]
public sealed partial class ClientJsonContext : JsonSerializerContext
{
}
