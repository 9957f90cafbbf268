using static Publisher.Contracts.HttpContract;

namespace Publisher.Contracts.ApiDocs;

/// <summary>The JSON types a <see cref="SchemaNode"/> can have.</summary>
public enum SchemaKind
{
    /// <summary>A JSON object.</summary>
    Object,

    /// <summary>A JSON array.</summary>
    Array,

    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON number without a fraction.</summary>
    Integer,
}

/// <summary>
/// A JSON schema in the subset both API Gateway (draft 4) and OpenAPI 3.1 (draft 2020-12) read the same way, so the
/// gateway's request models and the OpenAPI document are one definition rendered twice. Properties keep their order.
/// </summary>
public sealed record SchemaNode
{
    /// <summary>The JSON type; null for a schema that only constrains (an entry of <see cref="OneOf"/> or <see cref="Not"/>).</summary>
    public SchemaKind? Kind { get; init; }

    /// <summary>The schema's title.</summary>
    public string? Title { get; init; }

    /// <summary>What the value is.</summary>
    public string? Description { get; init; }

    /// <summary>An object's members, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaNode>>? Properties { get; init; }

    /// <summary>The members an object must have.</summary>
    public IReadOnlyList<string>? Required { get; init; }

    /// <summary>False when an object may have no other members.</summary>
    public bool? AdditionalProperties { get; init; }

    /// <summary>Shortest string, in characters.</summary>
    public int? MinLength { get; init; }

    /// <summary>Longest string, in characters.</summary>
    public int? MaxLength { get; init; }

    /// <summary>A regular expression a string must match (unanchored, as JSON Schema's <c>pattern</c>).</summary>
    public string? Pattern { get; init; }

    /// <summary>Smallest integer.</summary>
    public int? Minimum { get; init; }

    /// <summary>Largest integer.</summary>
    public int? Maximum { get; init; }

    /// <summary>Fewest array items.</summary>
    public int? MinItems { get; init; }

    /// <summary>Most array items.</summary>
    public int? MaxItems { get; init; }

    /// <summary>The schema of each array item.</summary>
    public SchemaNode? Items { get; init; }

    /// <summary>Exactly one of these must hold.</summary>
    public IReadOnlyList<SchemaNode>? OneOf { get; init; }

    /// <summary>At least one of these must hold.</summary>
    public IReadOnlyList<SchemaNode>? AnyOf { get; init; }

    /// <summary>This must not hold.</summary>
    public SchemaNode? Not { get; init; }
}

/// <summary>
/// The request bodies' schemas, from <see cref="HttpContract"/>: the stack's API Gateway request models
/// (cdk RequestSchemas) and the OpenAPI document both render these, so they cannot drift. The functions check the
/// same rules themselves, including what a schema cannot say (UTF-8 byte length, duplicate members).
/// </summary>
public static class ContractSchemas
{
    /// <summary>A topic name: not blank, no control characters, at most <see cref="MaxTopicNameLength"/> characters.</summary>
    public static SchemaNode TopicName(string description) => new()
    {
        Kind = SchemaKind.String,
        Description = description,
        MinLength = 1,
        MaxLength = MaxTopicNameLength,
        Pattern = TopicNames.Pattern,
    };

    /// <summary>An idempotency key: 1 to <see cref="MaxIdempotencyKeyLength"/> printable ASCII characters, not all spaces.</summary>
    public const string IdempotencyKeyPattern = @"^[ -~]*[!-~][ -~]*(?![\s\S])";

    /// <summary>An idempotency key's schema (the <c>Idempotency-Key</c> header's, and a batch message's <c>idempotencyKey</c>).</summary>
    public static SchemaNode IdempotencyKey(string description) => new()
    {
        Kind = SchemaKind.String,
        Description = description,
        MinLength = 1,
        MaxLength = MaxIdempotencyKeyLength,
        Pattern = IdempotencyKeyPattern,
    };

    /// <summary>The body of <c>POST /topics</c> and each message of a batch (which may also carry <c>idempotencyKey</c>): a topic and exactly one value.</summary>
    public static SchemaNode PublishRequest(string? title = "PublishRequest", bool batchMessage = false) => new()
    {
        Kind = SchemaKind.Object,
        Title = title,
        Description = "A topic and exactly one value: text (published as text) or base64 (published as the decoded bytes).",
        AdditionalProperties = false,
        Required = ["topicName"],
        Properties =
        [
            new("topicName", TopicName("The topic to publish to.")),
            new("topicValue", new SchemaNode
            {
                Kind = SchemaKind.String,
                Description = $"Text to publish, at most {MaxValueBytes} bytes as UTF-8 (the schema bounds characters; the function counts bytes).",
                MaxLength = MaxValueBytes,
            }),
            new("topicValueBase64", new SchemaNode
            {
                Kind = SchemaKind.String,
                Description = $"Bytes to publish, as canonical padded base64 of at most {MaxValueBytes} bytes.",
                MaxLength = MaxValueBase64Length,
                Pattern = TopicNames.Base64Pattern,
            }),
            .. (batchMessage
                ? [new KeyValuePair<string, SchemaNode>("idempotencyKey", IdempotencyKey(
                    "This message's idempotency key: a retry of the batch with the same key and message publishes it at most once " +
                    "within the retention window (24 h by default); its result is then replayed with replayed: true."))]
                : Array.Empty<KeyValuePair<string, SchemaNode>>()),
        ],
        OneOf =
        [
            new SchemaNode { Required = ["topicValue"] },
            new SchemaNode { Required = ["topicValueBase64"] },
        ],
    };

    /// <summary>The body of <c>POST /batch</c>: 1 to <see cref="MaxBatchMessages"/> messages.</summary>
    public static SchemaNode BatchRequest() => new()
    {
        Kind = SchemaKind.Object,
        Title = "BatchRequest",
        Description = $"1 to {MaxBatchMessages} messages, validated as a whole before any is published, then published concurrently.",
        AdditionalProperties = false,
        Required = ["messages"],
        Properties =
        [
            new("messages", new SchemaNode
            {
                Kind = SchemaKind.Array,
                MinItems = 1,
                MaxItems = MaxBatchMessages,
                Items = PublishRequest(title: null, batchMessage: true),
            }),
        ],
    };

    /// <summary>
    /// The body of <c>POST /verify</c> (and, member for member, the query of <c>GET /verify</c>): a topic, how long to
    /// listen, and at most one condition (none means <c>count</c> 1).
    /// </summary>
    public static SchemaNode VerifyRequest() => new()
    {
        Kind = SchemaKind.Object,
        Title = "VerifyRequest",
        Description = "Subscribe to a topic and report what arrives, until the condition holds or the time is up. At most one of count, equals and contains (none: count 1).",
        AdditionalProperties = false,
        Required = ["topic"],
        Properties =
        [
            new("topic", TopicName("The topic to subscribe to.")),
            new("listenMs", new SchemaNode
            {
                Kind = SchemaKind.Integer,
                Description = $"Longest time to listen, in ms (default {DefaultVerifyListenMs}; the deployment's maximum, {MaxVerifyListenMs} by default, is the bound).",
                Minimum = 1,
                Maximum = MaxVerifyListenMs,
            }),
            new("count", new SchemaNode
            {
                Kind = SchemaKind.Integer,
                Description = "Stop once this many items arrived.",
                Minimum = 1,
                Maximum = MaxVerifyCount,
            }),
            new("equals", new SchemaNode { Kind = SchemaKind.String, Description = "Stop once a text item equal to this arrives." }),
            new("contains", new SchemaNode { Kind = SchemaKind.String, Description = "Stop once a text item containing this arrives.", MinLength = 1 }),
        ],
        Not = new SchemaNode
        {
            AnyOf =
            [
                new SchemaNode { Required = ["count", "equals"] },
                new SchemaNode { Required = ["count", "contains"] },
                new SchemaNode { Required = ["equals", "contains"] },
            ],
        },
    };
}
