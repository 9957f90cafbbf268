using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Functions.Common.Http;

namespace Publisher.Function.Internal;

/// <summary><c>POST /topics</c>, and each message of a batch: a topic and exactly one value (a rule, not the shape).</summary>
internal sealed record PublishRequest
{
    public required string TopicName { get; init; }

    // May be absent, never null: absence is the rules' business, null is the wrong type.
    [DisallowNull]
    public string? TopicValue { get; init; }

    [DisallowNull]
    public string? TopicValueBase64 { get; init; }
}

/// <summary><c>POST /batch</c>. Items may be null in JSON (element nullability is not enforced); the rules refuse them.</summary>
internal sealed record BatchRequest
{
    public required List<PublishRequest?> Messages { get; init; }
}

/// <summary>A published message.</summary>
internal sealed record PublishResponse(bool Published, string Topic, int Bytes);

/// <summary>A batch's answer: counts, then one result per message in order.</summary>
internal sealed record BatchResponse(int Published, int Failed, IReadOnlyList<BatchResult> Results);

/// <summary>One message's outcome: its bytes when published, else its problem.</summary>
internal sealed record BatchResult(int Index, string Topic, int Status, int? Bytes, ProblemDetails? Problem);

/// <summary>
/// The publisher's JSON contract. Strict, so System.Text.Json refuses unknown and repeated members and nulls where
/// the records say none (see <see cref="StrictJson"/>); case-sensitive, as the published contract is.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(BatchResponse))]
internal sealed partial class PublisherJsonContext : JsonSerializerContext
{
}
