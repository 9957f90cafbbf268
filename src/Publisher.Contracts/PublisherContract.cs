using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Publisher.Contracts;

/// <summary><c>POST /topics</c>, and each message of a batch: a topic and exactly one value (a rule, not the shape).</summary>
public record PublishRequest
{
    /// <summary>The topic to publish to.</summary>
    public required string TopicName { get; init; }

    /// <summary>Text to publish. May be absent, never null: absence is the rules' business, null is the wrong type.</summary>
    [DisallowNull]
    public string? TopicValue { get; init; }

    /// <summary>Bytes to publish, as canonical padded base64; absent or a string, like <see cref="TopicValue"/>.</summary>
    [DisallowNull]
    public string? TopicValueBase64 { get; init; }
}

/// <summary>A message of <c>POST /batch</c>: a <see cref="PublishRequest"/> that may carry its own idempotency key.</summary>
public sealed record BatchMessage : PublishRequest
{
    /// <summary>The message's idempotency key, as the <c>Idempotency-Key</c> header is on the single-message routes. Absent or a string.</summary>
    [DisallowNull]
    [JsonPropertyOrder(1)]
    public string? IdempotencyKey { get; init; }
}

/// <summary><c>POST /batch</c>. Items may be null in JSON (element nullability is not enforced); the rules refuse them.</summary>
public sealed record BatchRequest
{
    /// <summary>The messages, in order.</summary>
    public required List<BatchMessage?> Messages { get; init; }
}

/// <summary>A published message.</summary>
/// <param name="Published">Always true: a message that was not published is answered with a problem.</param>
/// <param name="Topic">The topic it was published to.</param>
/// <param name="Bytes">The value's size in bytes (text counted as UTF-8).</param>
public sealed record PublishResponse(bool Published, string Topic, int Bytes);

/// <summary>A batch's answer: counts, then one result per message in order.</summary>
/// <param name="Published">Messages published.</param>
/// <param name="Failed">Messages not published.</param>
/// <param name="Results">One result per message, in the request's order.</param>
public sealed record BatchResponse(int Published, int Failed, IReadOnlyList<BatchResult> Results);

/// <summary>One message's outcome: its bytes when published, else its problem.</summary>
/// <param name="Index">The message's position in the batch.</param>
/// <param name="Topic">Its topic.</param>
/// <param name="Status">200 when published, else its problem's status.</param>
/// <param name="Bytes">The value's size when published, else null (left out).</param>
/// <param name="Problem">Why it was not published, else null (left out).</param>
public sealed record BatchResult(int Index, string Topic, int Status, int? Bytes, ProblemDetails? Problem)
{
    /// <summary>True when the result was replayed from the message's idempotency record, publishing nothing; else null (left out).</summary>
    public bool? Replayed { get; init; }
}

/// <summary>
/// The publisher's JSON contract. Strict, so System.Text.Json refuses unknown and repeated members and nulls where
/// the records say none (the functions' <c>StrictJson</c> insists on it); case-sensitive, as the published contract is.
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
public sealed partial class PublisherJsonContext : JsonSerializerContext
{
}
