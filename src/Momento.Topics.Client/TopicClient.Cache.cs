using Google.Protobuf;
using Grpc.Core;
using Momento.Protos.CacheClient;
using Momento.Protos.Common;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

/// <summary>
/// The Momento cache calls (get, set, set-if-absent, delete) on the same warm channel as the topic calls, for small
/// records such as idempotency keys. Each returns a value and never throws for a failed call.
/// </summary>
public sealed partial class TopicClient
{
    private const string GetOperation = "The cache get";
    private const string SetOperation = "The cache set";
    private const string SetIfAbsentOperation = "The cache set-if-absent";
    private const string DeleteOperation = "The cache delete";
    private static readonly CacheGetResponse.Miss CacheMiss = new();
    private static readonly CacheWriteResponse.Success CacheWritten = new();
    private static readonly CacheSetIfAbsentResponse.Stored CacheStored = new();
    private static readonly CacheSetIfAbsentResponse.NotStored CacheNotStored = new();

    /// <summary>Reads the value under a key.</summary>
    /// <param name="cacheName">The cache; must not be blank.</param>
    /// <param name="key">The key; must not be empty.</param>
    /// <param name="timeout">The call's deadline; default: <see cref="TopicClientOptions.PublishTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call; the result is then a <see cref="MomentoErrorCode.CancelledError"/>.</param>
    public async Task<CacheGetResponse> CacheGetAsync(string cacheName, ReadOnlyMemory<byte> key, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new _GetRequest { CacheKey = ByteString.CopyFrom(key.Span) };
        var (response, error) = await CacheCallAsync(UnaryCalls.Get, request, cacheName, key, ttl: null, timeout, GetOperation, cancellationToken).ConfigureAwait(false);
        return error is not null ? new CacheGetResponse.Error(error)
            : response!.Result switch
            {
                ECacheResult.Hit => new CacheGetResponse.Hit(response.CacheBody.Memory),
                ECacheResult.Miss => CacheMiss,
                var other => new CacheGetResponse.Error(ErrorMapper.ProtocolViolation($"a get answered with result {other}")),
            };
    }

    /// <summary>Stores a value under a key, replacing what it held, for <paramref name="ttl"/>.</summary>
    /// <inheritdoc cref="CacheSetIfAbsentAsync"/>
    public async Task<CacheWriteResponse> CacheSetAsync(string cacheName, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, TimeSpan ttl, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new _SetRequest { CacheKey = ByteString.CopyFrom(key.Span), CacheBody = ByteString.CopyFrom(value.Span), TtlMilliseconds = Milliseconds(ttl) };
        var (_, error) = await CacheCallAsync(UnaryCalls.Set, request, cacheName, key, ttl, timeout, SetOperation, cancellationToken).ConfigureAwait(false);
        return error is null ? CacheWritten : new CacheWriteResponse.Error(error);
    }

    /// <summary>Stores a value under a key only if the key holds none, atomically (SetIf with the <c>absent</c> condition).</summary>
    /// <param name="cacheName">The cache; must not be blank.</param>
    /// <param name="key">The key; must not be empty.</param>
    /// <param name="value">The value; may be empty.</param>
    /// <param name="ttl">How long the value lives; at least one millisecond.</param>
    /// <param name="timeout">The call's deadline; default: <see cref="TopicClientOptions.PublishTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call; the result is then a <see cref="MomentoErrorCode.CancelledError"/>.</param>
    public async Task<CacheSetIfAbsentResponse> CacheSetIfAbsentAsync(string cacheName, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, TimeSpan ttl, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new _SetIfRequest { CacheKey = ByteString.CopyFrom(key.Span), CacheBody = ByteString.CopyFrom(value.Span), TtlMilliseconds = Milliseconds(ttl), Absent = new Absent() };
        var (response, error) = await CacheCallAsync(UnaryCalls.SetIf, request, cacheName, key, ttl, timeout, SetIfAbsentOperation, cancellationToken).ConfigureAwait(false);
        return error is not null ? new CacheSetIfAbsentResponse.Error(error)
            : response!.ResultCase switch
            {
                _SetIfResponse.ResultOneofCase.Stored => CacheStored,
                _SetIfResponse.ResultOneofCase.NotStored => CacheNotStored,
                _ => new CacheSetIfAbsentResponse.Error(ErrorMapper.ProtocolViolation("a set-if answered neither stored nor not_stored")),
            };
    }

    /// <summary>Removes a key; removing an absent key succeeds.</summary>
    /// <inheritdoc cref="CacheGetAsync"/>
    public async Task<CacheWriteResponse> CacheDeleteAsync(string cacheName, ReadOnlyMemory<byte> key, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new _DeleteRequest { CacheKey = ByteString.CopyFrom(key.Span) };
        var (_, error) = await CacheCallAsync(UnaryCalls.Delete, request, cacheName, key, ttl: null, timeout, DeleteOperation, cancellationToken).ConfigureAwait(false);
        return error is null ? CacheWritten : new CacheWriteResponse.Error(error);
    }

    // Whole milliseconds, rounded up so that a positive TTL never becomes zero.
    private static ulong Milliseconds(TimeSpan ttl) => (ulong)Math.Ceiling(ttl.TotalMilliseconds);

    private static TopicError? ValidateCacheCall(string cacheName, ReadOnlyMemory<byte> key, TimeSpan? ttl, TimeSpan? timeout)
    {
        if (string.IsNullOrWhiteSpace(cacheName))
        {
            return ErrorMapper.InvalidArgument("The cache name must not be null or blank.");
        }

        if (key.IsEmpty)
        {
            return ErrorMapper.InvalidArgument("The cache key must not be empty.");
        }

        if (ttl is { } t && (t <= TimeSpan.Zero || t > TopicClientOptions.MaxTimeSpan))
        {
            return ErrorMapper.InvalidArgument("The TTL must be a positive time span of at most 24 days.");
        }

        if (timeout is { } d && (d <= TimeSpan.Zero || d > TopicClientOptions.MaxTimeSpan))
        {
            return ErrorMapper.InvalidArgument("The timeout must be a positive time span of at most 24 days.");
        }

        return null;
    }

    /// <summary>
    /// One cache call, retried once, as a publish is, only when the first attempt certainly was not applied (so a
    /// set-if-absent never meets its own first attempt's value).
    /// </summary>
    private async Task<(TResponse? Response, TopicError? Error)> CacheCallAsync<TResponse>(
        Method<OutgoingMessage, TResponse> method,
        IBufferMessage request,
        string cacheName,
        ReadOnlyMemory<byte> key,
        TimeSpan? ttl,
        TimeSpan? timeout,
        string operation,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        if (ValidateCacheCall(cacheName, key, ttl, timeout) is { } invalid)
        {
            return (null, invalid);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return (null, ErrorMapper.CancelledByCaller(operation, mayHaveExecuted: false));
        }

        var deadline = DateTime.UtcNow + (timeout ?? _options.PublishTimeout);
        var call = new CallOptions(_headers.Create(cacheName), deadline, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            using var lease = _channels.Acquire();
            try
            {
                return (await UnaryCalls.InvokeAsync(lease.Invoker, method, request, call).ConfigureAwait(false), null);
            }
            catch (RpcException e)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return (null, ErrorMapper.CancelledByCaller(operation, mayHaveExecuted: !ErrorMapper.IsNotSent(e)));
                }

                var certainlyNotApplied = ErrorMapper.IsNotSent(e) || ErrorMapper.IsRetryableDisposition(e);
                if (attempt == 1 && certainlyNotApplied && deadline - DateTime.UtcNow > _options.MinRetryBudget)
                {
                    continue;
                }

                return (null, ErrorMapper.FromRpcException(e, operation));
            }
        }
    }
}
