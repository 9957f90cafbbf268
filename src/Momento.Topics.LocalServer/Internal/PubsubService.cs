using System.Text;
using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.Common;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>The Momento Topics Publish and Subscribe RPCs.</summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindPubsub))]
internal sealed partial class PubsubService : Pubsub.PubsubBase
{
    private readonly TopicHub _hub;
    private readonly LocalTopicsServerOptions _options;
    private readonly ServerStopSignal _stop;
    private readonly ILogger<PubsubService> _logger;

    public PubsubService(TopicHub hub, LocalTopicsServerOptions options, ServerStopSignal stop, ILogger<PubsubService> logger)
    {
        _hub = hub;
        _options = options;
        _stop = stop;
        _logger = logger;
    }

    public override Task<_Empty> Publish(_PublishRequest request, ServerCallContext context)
    {
        var cache = Resolve(request.CacheName, request.Topic);
        var value = request.Value;
        if (value is null || value.KindCase == _TopicValue.KindOneofCase.None)
        {
            throw RpcErrors.InvalidArgument("value must be set to text or binary");
        }
        var size = value.KindCase == _TopicValue.KindOneofCase.Text
            ? Encoding.UTF8.GetByteCount(value.Text)
            : value.Binary.Length;
        if (size > _options.MaxValueBytes)
        {
            throw RpcErrors.ValueTooLarge(size, _options.MaxValueBytes);
        }
        var sequence = cache.Publish(request.Topic, value);
        Log.Published(_logger, cache.Name, request.Topic, sequence);
        return Task.FromResult(new _Empty());
    }

    public override async Task Subscribe(
        _SubscriptionRequest request,
        IServerStreamWriter<_SubscriptionItem> responseStream,
        ServerCallContext context)
    {
        var cache = Resolve(request.CacheName, request.Topic);
        if (_stop.Token.IsCancellationRequested)
        {
            throw RpcErrors.ShuttingDown();
        }
        if (!cache.TryAcquireSubscription())
        {
            throw RpcErrors.SubscriptionLimit(_options.MaxSubscriptionsPerCache);
        }
        try
        {
            var subscriber = new Subscriber(_options.SubscriberQueueCapacity);
            var (topic, backlog) = cache.Attach(request.Topic, subscriber, request.ResumeAtTopicSequenceNumber, request.SequencePage);
            Log.SubscriptionStarted(_logger, cache.Name, request.Topic, request.ResumeAtTopicSequenceNumber, request.SequencePage);
            try
            {
                await PumpAsync(subscriber, backlog, responseStream, context.CancellationToken).ConfigureAwait(false);
            }
            finally
            {
                topic.Detach(subscriber);
                Log.SubscriptionEnded(_logger, cache.Name, request.Topic, subscriber.Dropped);
            }
        }
        finally
        {
            cache.ReleaseSubscription();
        }
    }

    /// <summary>
    /// Sends a heartbeat first (SDKs require it), then the backlog, then live items with a heartbeat
    /// every interval. Never returns normally except when the client went away.
    /// </summary>
    private async Task PumpAsync(
        Subscriber subscriber,
        IReadOnlyList<_SubscriptionItem> backlog,
        IServerStreamWriter<_SubscriptionItem> stream,
        CancellationToken clientGone)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(clientGone, _stop.Token);
        var token = linked.Token;
        var heartbeat = new _SubscriptionItem { Heartbeat = new _Heartbeat() };
        try
        {
            await stream.WriteAsync(heartbeat, token).ConfigureAwait(false);
            foreach (var message in backlog)
            {
                await stream.WriteAsync(message, token).ConfigureAwait(false);
            }

            using var timer = new PeriodicTimer(_options.HeartbeatInterval);
            Task<bool>? readable = null;
            Task<bool>? tick = null;
            while (true)
            {
                while (subscriber.TryTake(out var message))
                {
                    await stream.WriteAsync(message, token).ConfigureAwait(false);
                }
                readable ??= subscriber.WaitAsync(token).AsTask();
                tick ??= timer.WaitForNextTickAsync(token).AsTask();
                var done = await Task.WhenAny(readable, tick).ConfigureAwait(false);
                if (done == tick)
                {
                    tick = null;
                    await done.ConfigureAwait(false);
                    await stream.WriteAsync(heartbeat, token).ConfigureAwait(false);
                }
                else
                {
                    readable = null;
                    await done.ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.Token.IsCancellationRequested && !clientGone.IsCancellationRequested)
        {
            throw RpcErrors.ShuttingDown();
        }
        catch (Exception ex) when (clientGone.IsCancellationRequested && ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client cancelled or disconnected: nothing left to tell it.
        }
    }

    private CacheState Resolve(string cacheName, string topic)
    {
        if (string.IsNullOrWhiteSpace(cacheName))
        {
            throw RpcErrors.InvalidArgument("cache_name must not be blank");
        }
        if (string.IsNullOrWhiteSpace(topic))
        {
            throw RpcErrors.InvalidArgument("topic must not be blank");
        }
        return _hub.TryGetCache(cacheName, out var cache) ? cache : throw RpcErrors.CacheNotFound();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, EventName = "Published", Level = LogLevel.Trace, Message = "Published to {Cache}/{Topic} as sequence {Sequence}")]
        public static partial void Published(ILogger logger, string cache, string topic, ulong sequence);

        [LoggerMessage(EventId = 11, EventName = "SubscriptionStarted", Level = LogLevel.Debug, Message = "Subscription to {Cache}/{Topic} started (resume at {ResumeAt}, page {Page})")]
        public static partial void SubscriptionStarted(ILogger logger, string cache, string topic, ulong resumeAt, ulong page);

        [LoggerMessage(EventId = 12, EventName = "SubscriptionEnded", Level = LogLevel.Debug, Message = "Subscription to {Cache}/{Topic} ended; {Dropped} items dropped for it")]
        public static partial void SubscriptionEnded(ILogger logger, string cache, string topic, long dropped);
    }
}
