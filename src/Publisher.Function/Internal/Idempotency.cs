using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Functions.Common.Http;
using Functions.Common.Momento;
using Momento.Topics.Client;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Function.Internal;

/// <summary>An answer kept under an idempotency key: what the first request was answered, and which request that was.</summary>
/// <param name="Fingerprint">SHA-256 of the request (<see cref="Fingerprints"/>); a retry must match it.</param>
/// <param name="Status">The answer's status.</param>
/// <param name="ContentType">Its media type (a batch message's record: <c>bytes</c> or the problem's).</param>
/// <param name="RetryAfterSeconds">Its <c>Retry-After</c>, if it had one.</param>
/// <param name="Body">Its body, byte for byte (a batch message's: the byte count, or its problem document).</param>
internal sealed record StoredAnswer(byte[] Fingerprint, int Status, string ContentType, int? RetryAfterSeconds, byte[] Body)
{
    /// <summary>The answer again, marked as replayed.</summary>
    public ApiResponse ToResponse()
    {
        var headers = new Dictionary<string, string> { [IdempotentReplayedHeader] = "true" };
        if (RetryAfterSeconds is { } seconds)
        {
            headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return new ApiResponse(Status, ContentType, Body, headers);
    }
}

/// <summary>What claiming a key came to.</summary>
internal abstract record ClaimResult
{
    private ClaimResult()
    {
    }

    /// <summary>The key was free and is now this request's: publish, then keep or release.</summary>
    public sealed record Claimed : ClaimResult;

    /// <summary>The key holds this request's answer: replay it, publish nothing.</summary>
    public sealed record Replay(StoredAnswer Answer) : ClaimResult;

    /// <summary>The key is in flight (409) or names another request (422): publish nothing.</summary>
    public sealed record Conflict(Problem Problem) : ClaimResult;

    /// <summary>The cache could not be asked (503, or 502 when misconfigured): publish nothing, since nothing guards it.</summary>
    public sealed record StoreFailed(Problem Problem, TopicError Error) : ClaimResult;
}

/// <summary>
/// Idempotency records in the deployment's Momento cache, on the publisher's one warm channel. A key is claimed with
/// set-if-absent and a short TTL (the invocation's remaining time and a second: a claimer that crashed or timed out frees
/// the key within the function's time limit, not after the retention window); the answer then replaces the claim with
/// the full retention TTL. Records hold the request's fingerprint, the answer's status, media type, <c>Retry-After</c>
/// and body: never a key, a credential or a published value beyond what the answer itself says.
/// </summary>
internal sealed class IdempotencyStore
{
    /// <summary>The prefix of every record's cache key, so records cannot collide with other items in the cache.</summary>
    internal const string KeyPrefix = "publisher/idempotency/v1/";

    private const string ClaimState = "claim";
    private const string DoneState = "done";

    // A key freed between the failed claim and the read (released or expired) is claimed again, a few times at most.
    private const int ClaimAttempts = 3;

    private readonly MomentoConnection _momento;
    private readonly TimeSpan _retention;

    public IdempotencyStore(MomentoConnection momento, PublisherSettings settings)
    {
        _momento = momento;
        _retention = settings.IdempotencyTtl;
    }

    /// <summary>Claims <paramref name="key"/> for a request with <paramref name="fingerprint"/>.</summary>
    public async Task<ClaimResult> ClaimAsync(string key, byte[] fingerprint, TimeSpan claimTtl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(key);
        var claim = Encode(ClaimState, fingerprint, 0, string.Empty, null, []);
        for (var attempt = 1; ; attempt++)
        {
            switch (await _momento.Client.CacheSetIfAbsentAsync(_momento.CacheName, cacheKey, claim, claimTtl < _retention ? claimTtl : _retention, timeout, cancellationToken).ConfigureAwait(false))
            {
                case CacheSetIfAbsentResponse.Stored:
                    return new ClaimResult.Claimed();
                case CacheSetIfAbsentResponse.Error { TopicError: var error }:
                    return StoreUnreachable(error);
            }

            switch (await _momento.Client.CacheGetAsync(_momento.CacheName, cacheKey, timeout, cancellationToken).ConfigureAwait(false))
            {
                case CacheGetResponse.Error { TopicError: var error }:
                    return StoreUnreachable(error);
                case CacheGetResponse.Hit { Value: var value }:
                    var record = Decode(value.Span);
                    if (record is null || !CryptographicOperations.FixedTimeEquals(record.Value.Answer.Fingerprint, fingerprint))
                    {
                        return new ClaimResult.Conflict(Mismatch());
                    }

                    return record.Value.Done ? new ClaimResult.Replay(record.Value.Answer) : new ClaimResult.Conflict(InUse());
                case CacheGetResponse.Miss when attempt < ClaimAttempts:
                    continue;
                default:
                    return new ClaimResult.Conflict(InUse());
            }
        }
    }

    /// <summary>Keeps the answer under the key for the retention window; the error when the cache did not take it.</summary>
    public async Task<TopicError?> KeepAsync(string key, StoredAnswer answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var value = Encode(DoneState, answer.Fingerprint, answer.Status, answer.ContentType, answer.RetryAfterSeconds, answer.Body);
        return await _momento.Client.CacheSetAsync(_momento.CacheName, CacheKey(key), value, _retention, timeout, cancellationToken).ConfigureAwait(false) is CacheWriteResponse.Error e
            ? e.TopicError
            : null;
    }

    /// <summary>Frees the key after a publish that certainly was not executed, so that a retry publishes.</summary>
    public async Task<TopicError?> ReleaseAsync(string key, TimeSpan timeout, CancellationToken cancellationToken) =>
        await _momento.Client.CacheDeleteAsync(_momento.CacheName, CacheKey(key), timeout, cancellationToken).ConfigureAwait(false) is CacheWriteResponse.Error e
            ? e.TopicError
            : null;

    /// <summary>409: the same key and request are in flight.</summary>
    public static Problem InUse() =>
        new(ProblemTypes.IdempotencyKeyInUse, "A request with this idempotency key is in flight.", 409,
            "A request with the same idempotency key is still being processed; nothing was published for this one. Retry after Retry-After to get its answer.")
        { RetryAfterSeconds = RetryAfterSeconds };

    /// <summary>422: the key names another request.</summary>
    public static Problem Mismatch() =>
        new(ProblemTypes.IdempotencyKeyMismatch, "The idempotency key was used for another request.", 422,
            "This idempotency key was used with a different request (route, topic, content type or body); nothing was published. Use a new key for a new request.");

    private static ClaimResult StoreUnreachable(TopicError error) => new ClaimResult.StoreFailed(
        error.Code is MomentoErrorCode.NotFoundError or MomentoErrorCode.AuthenticationError or MomentoErrorCode.PermissionError
            ? new Problem(ProblemTypes.UpstreamMisconfigured, "The publisher is misconfigured.", 502,
                "The publisher cannot use its Momento cache to guard the idempotency key; the message was not published. The operators have the details in the function's logs.")
            : new Problem(ProblemTypes.Unavailable, "Momento is unavailable.", 503,
                "The cache that guards idempotency keys could not be reached; the message was not published. Retry later with the same key.")
            { RetryAfterSeconds = RetryAfterSeconds },
        error);

    private static byte[] CacheKey(string key) => Encoding.ASCII.GetBytes(KeyPrefix + key);

    // state \n fingerprint-hex \n status \n content-type \n retry-after \n body: text lines, then the body's bytes as they are.
    private static byte[] Encode(string state, byte[] fingerprint, int status, string contentType, int? retryAfter, byte[] body)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{state}\n{Convert.ToHexStringLower(fingerprint)}\n{status}\n{contentType}\n{retryAfter}\n");
        var buffer = new ArrayBufferWriter<byte>(head.Length + body.Length);
        Encoding.ASCII.GetBytes(head, buffer);
        buffer.Write(body);
        return buffer.WrittenSpan.ToArray();
    }

    private static (bool Done, StoredAnswer Answer)? Decode(ReadOnlySpan<byte> value)
    {
        var fields = new string[5];
        for (var i = 0; i < fields.Length; i++)
        {
            var end = value.IndexOf((byte)'\n');
            if (end < 0)
            {
                return null;
            }

            fields[i] = Encoding.ASCII.GetString(value[..end]);
            value = value[(end + 1)..];
        }

        var done = fields[0] == DoneState;
        if ((!done && fields[0] != ClaimState) || fields[1].Length != 64 ||
            !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        int? retryAfter = int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        return (done, new StoredAnswer(Convert.FromHexString(fields[1]), status, fields[3], retryAfter, value.ToArray()));
    }
}

/// <summary>What identifies a request for its idempotency key: SHA-256 over what would change what is published.</summary>
internal static class Fingerprints
{
    /// <summary>A single-message request: method, route, topic in the path, media type and body.</summary>
    public static byte[] OfRequest(ApiRequest request, RouteMatch route)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendLine(hash, request.Method);
        AppendLine(hash, route.Template);
        AppendLine(hash, route.TopicName ?? string.Empty);
        AppendLine(hash, request.MediaType ?? string.Empty);
        hash.AppendData(request.Body ?? []);
        return hash.GetHashAndReset();
    }

    /// <summary>A batch message: its topic and value (text or bytes), whatever its position in the batch.</summary>
    public static byte[] OfBatchMessage(PublishMessage message)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendLine(hash, "/batch");
        AppendLine(hash, message.TopicName);
        AppendLine(hash, message.Text is null ? "bytes" : "text");
        hash.AppendData(message.Text is null ? message.Bytes! : Encoding.UTF8.GetBytes(message.Text));
        return hash.GetHashAndReset();
    }

    // Each part is length-prefixed, so no two different requests hash the same parts.
    private static void AppendLine(IncrementalHash hash, string part)
    {
        var bytes = Encoding.UTF8.GetBytes(part);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
