using Microsoft.OpenApi;
using Publisher.Contracts.ApiDocs;
using static Publisher.Contracts.HttpContract;

namespace Publisher.OpenApi.Internal;

/// <summary>The document's idempotency additions: the <c>Idempotency-Key</c> header a publish takes and the replay header its answer may carry.</summary>
internal static class IdempotencyDocument
{
    /// <summary>The description of a publish's 200, which may be a replayed answer.</summary>
    public const string ReplayableDescription =
        "Published (or, with `" + IdempotentReplayedHeader + ": true`, the answer of the first request with this idempotency key, replayed).";

    /// <summary>The optional <c>Idempotency-Key</c> header of the single publishes.</summary>
    public static OpenApiParameter KeyParameter() => new()
    {
        Name = IdempotencyKeyHeader,
        In = ParameterLocation.Header,
        Required = false,
        Description = "Makes the publish safe to retry: the first request with a key publishes and its answer is kept for the retention " +
            "window (24 h by default); a retry with the same key and the same request gets that answer again, byte for byte, with " +
            "`" + IdempotentReplayedHeader + ": true`, and publishes nothing. The same key with another request is a 422, and while the first " +
            "is in flight a 409. Without the header a request behaves as it always did.",
        Schema = SchemaRendering.ToOpenApi(ContractSchemas.IdempotencyKey("1 to 255 printable ASCII characters, not all spaces (a UUID, say).")),
    };

    /// <summary>Adds the replay header to <paramref name="response"/> and returns it.</summary>
    public static OpenApiResponse Replayable(OpenApiResponse response)
    {
        response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
        {
            [IdempotentReplayedHeader] = new OpenApiHeader
            {
                Description = "`true` on an answer replayed from an idempotency record (any status the first request was answered with); absent otherwise.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
            },
        };
        return response;
    }
}
