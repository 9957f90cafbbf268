using Google.Protobuf;
using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

public sealed partial class TopicClient
{
    private const string PublishOperation = "The publish";

    /// <summary>Publishes a text value. An empty value is allowed.</summary>
    /// <param name="cacheName">The cache; must not be blank.</param>
    /// <param name="topicName">The topic; must not be blank.</param>
    /// <param name="value">The value; at most 4 KB on the hosted service.</param>
    /// <param name="timeout">The deadline for the whole publish, including its one possible retry; default: <see cref="TopicClientOptions.PublishTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the publish; the result is then a <see cref="MomentoErrorCode.CancelledError"/>.</param>
    /// <returns>
    /// <see cref="TopicPublishResponse.Success"/>, or <see cref="TopicPublishResponse.Error"/>; never throws for
    /// failed calls. The publish is retried once only when it certainly was not applied.
    /// </returns>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<TopicPublishResponse> PublishAsync(string cacheName, string topicName, string value, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var invalid = Validate(cacheName, topicName, timeout)
            ?? (value is null ? ErrorMapper.InvalidArgument("The value must not be null; an empty string is allowed.") : null);
        return invalid is not null
            ? Task.FromResult<TopicPublishResponse>(new TopicPublishResponse.Error(invalid))
            : PublishCoreAsync(cacheName, topicName, new _TopicValue { Text = value }, timeout, cancellationToken);
    }

    /// <summary>Publishes a binary value. An empty value is allowed.</summary>
    /// <inheritdoc cref="PublishAsync(string, string, string, TimeSpan?, CancellationToken)"/>
    public Task<TopicPublishResponse> PublishAsync(string cacheName, string topicName, ReadOnlyMemory<byte> value, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var invalid = Validate(cacheName, topicName, timeout);
        return invalid is not null
            ? Task.FromResult<TopicPublishResponse>(new TopicPublishResponse.Error(invalid))
            : PublishCoreAsync(cacheName, topicName, new _TopicValue { Binary = ByteString.CopyFrom(value.Span) }, timeout, cancellationToken);
    }

    private static TopicError? Validate(string cacheName, string topicName, TimeSpan? timeout)
    {
        if (string.IsNullOrWhiteSpace(cacheName))
        {
            return ErrorMapper.InvalidArgument("The cache name must not be null or blank.");
        }

        if (string.IsNullOrWhiteSpace(topicName))
        {
            return ErrorMapper.InvalidArgument("The topic name must not be null or blank.");
        }

        if (timeout is { } t && (t <= TimeSpan.Zero || t > TopicClientOptions.MaxTimeSpan))
        {
            return ErrorMapper.InvalidArgument("The publish timeout must be a positive time span of at most 24 days.");
        }

        return null;
    }

    private async Task<TopicPublishResponse> PublishCoreAsync(string cacheName, string topicName, _TopicValue value, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new TopicPublishResponse.Error(ErrorMapper.CancelledByCaller(PublishOperation, mayHaveExecuted: false));
        }

        // One absolute deadline for both attempts, measured with the system clock as grpc-dotnet does.
        var deadline = DateTime.UtcNow + (timeout ?? _options.PublishTimeout);
        var call = new CallOptions(_headers.Create(cacheName), deadline, cancellationToken);
        var request = new _PublishRequest { CacheName = cacheName, Topic = topicName, Value = value };

        for (var attempt = 1; ; attempt++)
        {
            using var lease = _channels.Acquire();
            try
            {
                await UnaryCalls.InvokeAsync(lease.Invoker, UnaryCalls.Publish, request, call).ConfigureAwait(false);
                return new TopicPublishResponse.Success(attempt);
            }
            catch (RpcException e)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new TopicPublishResponse.Error(ErrorMapper.CancelledByCaller(PublishOperation, mayHaveExecuted: !ErrorMapper.IsNotSent(e)));
                }

                // Publish is not idempotent: retry only when the first attempt certainly was not applied.
                var certainlyNotApplied = ErrorMapper.IsNotSent(e) || ErrorMapper.IsRetryableDisposition(e);
                if (attempt == 1 && certainlyNotApplied && deadline - DateTime.UtcNow > _options.MinRetryBudget)
                {
                    continue;
                }

                return new TopicPublishResponse.Error(ErrorMapper.FromRpcException(e, PublishOperation));
            }
        }
    }
}
