using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.LocalServer.Tests.Infrastructure;

/// <summary>Reads one subscription stream with a default timeout on every read.</summary>
internal sealed class Subscription : IDisposable
{
    private readonly AsyncServerStreamingCall<_SubscriptionItem> _call;

    public Subscription(AsyncServerStreamingCall<_SubscriptionItem> call) => _call = call;

    public async Task<_SubscriptionItem> NextAsync()
    {
        if (!await _call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
        {
            throw new InvalidOperationException("The subscription stream ended with OK, which a server must never do.");
        }
        return _call.ResponseStream.Current;
    }

    /// <summary>The next item or discontinuity, skipping heartbeats; heartbeats alone do not keep it waiting past the default timeout.</summary>
    public async Task<_SubscriptionItem> NextNonHeartbeatAsync()
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (true)
        {
            var message = await NextAsync();
            if (message.KindCase != _SubscriptionItem.KindOneofCase.Heartbeat)
            {
                return message;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Only heartbeats arrived within the default timeout.");
            }
        }
    }

    public async Task<_TopicItem> NextItemAsync()
    {
        var message = await NextNonHeartbeatAsync();
        Assert.Equal(_SubscriptionItem.KindOneofCase.Item, message.KindCase);
        return message.Item;
    }

    public async Task<_Discontinuity> NextDiscontinuityAsync()
    {
        var message = await NextNonHeartbeatAsync();
        Assert.Equal(_SubscriptionItem.KindOneofCase.Discontinuity, message.KindCase);
        return message.Discontinuity;
    }

    /// <summary>Reads until the stream fails and returns the error; a stream that keeps sending past the default timeout fails the test.</summary>
    public async Task<RpcException> ErrorAsync()
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        try
        {
            while (DateTime.UtcNow <= deadline)
            {
                await NextAsync();
            }
        }
        catch (RpcException ex)
        {
            return ex;
        }
        throw new TimeoutException("The stream kept sending instead of failing.");
    }

    public void Dispose() => _call.Dispose();
}
