using System.Runtime.CompilerServices;
using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// One logical subscription: a chain of server streams, each resumed from the last item seen. Failures are
/// turned into <see cref="StreamStep"/> values so the iterator can yield errors (C# cannot yield in a catch).
/// </summary>
internal sealed class Subscription
{
    private const string Operation = "The subscription";

    private readonly ChannelHolder _channels;
    private readonly CallHeaders _headers;
    private readonly TopicClientOptions _options;
    private readonly CancellationToken _clientDisposed;
    private readonly string _cacheName;
    private readonly string _topicName;
    private ulong _lastSequence;
    private ulong _lastPage;

    public Subscription(ChannelHolder channels, CallHeaders headers, TopicClientOptions options, CancellationToken clientDisposed, string cacheName, string topicName, SubscribeOptions? start)
    {
        _channels = channels;
        _headers = headers;
        _options = options;
        _clientDisposed = clientDisposed;
        _cacheName = cacheName;
        _topicName = topicName;
        _lastSequence = start?.ResumeAtSequenceNumber ?? 0;
        _lastPage = start?.SequencePage ?? 0;
    }

    public async IAsyncEnumerable<TopicEvent> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Validate() is { } invalid)
        {
            yield return new TopicEvent.Error(invalid);
            yield break;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _clientDisposed);
        while (true)
        {
            StreamStep end;
            using (var stream = Open(cancellationToken, stopping.Token))
            {
                var first = stream is null ? StreamStep.Disposed : await stream.ReadAsync(_options.FirstHeartbeatTimeout).ConfigureAwait(false);
                if (first.Kind == StepKind.Message && first.Message!.KindCase != _SubscriptionItem.KindOneofCase.Heartbeat)
                {
                    yield return new TopicEvent.Error(ErrorMapper.ProtocolViolation("the first message of a subscription stream was not a heartbeat"));
                    yield break;
                }

                end = first;
                if (first.Kind == StepKind.Message)
                {
                    yield return TopicEvent.Heartbeat.Instance;
                    while ((end = await stream!.ReadAsync(firstMessageTimeout: null).ConfigureAwait(false)).Kind == StepKind.Message)
                    {
                        if (Accept(end.Message!) is { } topicEvent)
                        {
                            yield return topicEvent;
                        }
                    }
                }
            }

            switch (end.Kind)
            {
                case StepKind.CallerCancelled:
                    yield break;
                case StepKind.Disposed:
                    yield return new TopicEvent.Error(ErrorMapper.ClientDisposed(Operation));
                    yield break;
                case StepKind.Failed when !end.Resubscribe:
                    yield return new TopicEvent.Error(end.Error!);
                    yield break;
            }

            // Retryable failure, first-heartbeat timeout, or a stream the server wrongly ended with OK.
            if (await DelayAsync(cancellationToken, stopping.Token).ConfigureAwait(false) is { } stop)
            {
                if (stop.Kind == StepKind.Disposed)
                {
                    yield return new TopicEvent.Error(ErrorMapper.ClientDisposed(Operation));
                }

                yield break;
            }
        }
    }

    private TopicError? Validate()
    {
        if (string.IsNullOrWhiteSpace(_cacheName))
        {
            return ErrorMapper.InvalidArgument("The cache name must not be null or blank.");
        }

        return string.IsNullOrWhiteSpace(_topicName) ? ErrorMapper.InvalidArgument("The topic name must not be null or blank.") : null;
    }

    /// <summary>Starts one server stream from the last item seen, or returns null when the client was disposed.</summary>
    private SubscriptionStream? Open(CancellationToken callerToken, CancellationToken stopping)
    {
        ChannelHolder.Lease lease;
        try
        {
            lease = _channels.Acquire();
        }
        catch (ObjectDisposedException)
        {
            return null;
        }

        var request = new _SubscriptionRequest
        {
            CacheName = _cacheName,
            Topic = _topicName,
            ResumeAtTopicSequenceNumber = ResumeAt(),
            SequencePage = _lastPage,
        };
        try
        {
            var call = lease.Pubsub.Subscribe(request, new CallOptions(_headers.Create(_cacheName), cancellationToken: stopping));
            return new SubscriptionStream(lease, call, _options.TimeProvider, callerToken, _clientDisposed);
        }
        catch
        {
            // The stream owns the lease once it exists; before that, a failure must not pin the connection forever.
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The number to resume at: the next one wanted (last seen + 1), as the JS SDK sends it, so that a
    /// discontinuity the service answers with names the last item this client has (<c>resume_at - 1</c>).
    /// 0 (a live-only subscription) when nothing has been seen and no page is known.
    /// </summary>
    private ulong ResumeAt() =>
        _lastSequence == 0 && _lastPage == 0 ? 0
        : _lastSequence == ulong.MaxValue ? ulong.MaxValue
        : _lastSequence + 1;

    /// <summary>Turns a message into an event, tracking the resume point and dropping replayed duplicates.</summary>
    private TopicEvent? Accept(_SubscriptionItem message)
    {
        switch (message.KindCase)
        {
            case _SubscriptionItem.KindOneofCase.Heartbeat:
                return TopicEvent.Heartbeat.Instance;

            case _SubscriptionItem.KindOneofCase.Discontinuity:
                var gap = message.Discontinuity;
                if (gap.NewSequencePage != 0)
                {
                    _lastPage = gap.NewSequencePage;
                }

                // new_topic_sequence is the next item this client gets, so a resume asks for exactly that one
                // (the JS SDK records it as received instead and would skip it if the stream broke first).
                _lastSequence = gap.NewTopicSequence > 0 ? gap.NewTopicSequence - 1 : 0;
                return new TopicEvent.Discontinuity(gap.LastTopicSequence, gap.NewTopicSequence, gap.NewSequencePage);

            case _SubscriptionItem.KindOneofCase.Item:
                var item = message.Item;
                var sequence = item.TopicSequenceNumber;
                if (sequence != 0)
                {
                    // A server that replays from the last item seen (rather than the one after it) repeats it: drop it.
                    if (item.SequencePage == _lastPage && sequence <= _lastSequence)
                    {
                        return null;
                    }

                    _lastSequence = sequence;
                    _lastPage = item.SequencePage;
                }

                return item.Value?.KindCase == _TopicValue.KindOneofCase.Text
                    ? new TopicEvent.TextItem(item.Value.Text, sequence, item.SequencePage, item.PublisherId)
                    : new TopicEvent.BinaryItem(
                        item.Value?.KindCase == _TopicValue.KindOneofCase.Binary ? item.Value.Binary.ToByteArray() : [],
                        sequence,
                        item.SequencePage,
                        item.PublisherId);

            default:
                // A kind this client does not know yet: skip it rather than fail the subscription.
                return null;
        }
    }

    private async Task<StreamStep?> DelayAsync(CancellationToken callerToken, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(_options.ResubscribeDelay, _options.TimeProvider, stopping).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return callerToken.IsCancellationRequested ? StreamStep.CallerCancelled : StreamStep.Disposed;
        }
    }
}
