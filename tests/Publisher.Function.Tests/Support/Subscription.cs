using Momento.Topics.Client;
using Momento.Topics.LocalServer;

namespace Publisher.Function.Tests.Support;

/// <summary>A subscriber on the local server that is known to be listening (its first heartbeat arrived).</summary>
internal sealed class Subscription : IAsyncDisposable
{
    private readonly TopicClient _client;
    private readonly CancellationTokenSource _stop;
    private readonly IAsyncEnumerator<TopicEvent> _events;

    private Subscription(TopicClient client, CancellationTokenSource stop, IAsyncEnumerator<TopicEvent> events)
    {
        _client = client;
        _stop = stop;
        _events = events;
    }

    public static async Task<Subscription> StartAsync(LocalTopicsServer server, string topic, string cacheName = FunctionHost.CacheName)
    {
        var client = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort));
        var stop = new CancellationTokenSource();
        var events = client.SubscribeAsync(cacheName, topic, cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        var subscription = new Subscription(client, stop, events);
        Assert.True(await events.MoveNextAsync().AsTask().DefaultTimeout());
        Assert.IsType<TopicEvent.Heartbeat>(events.Current);
        return subscription;
    }

    /// <summary>The next <paramref name="count"/> items (text or binary), skipping heartbeats; any other event fails.</summary>
    public async Task<IReadOnlyList<TopicEvent>> ItemsAsync(int count)
    {
        var items = new List<TopicEvent>(count);
        while (items.Count < count)
        {
            Assert.True(await _events.MoveNextAsync().AsTask().DefaultTimeout());
            switch (_events.Current)
            {
                case TopicEvent.Heartbeat:
                    break;
                case TopicEvent.TextItem or TopicEvent.BinaryItem:
                    items.Add(_events.Current);
                    break;
                default:
                    Assert.Fail("Unexpected event " + _events.Current);
                    break;
            }
        }

        return items;
    }

    /// <summary>True when the next event is a heartbeat: the server sent no further item before it.</summary>
    public async Task<bool> NoMoreItemsAsync()
    {
        Assert.True(await _events.MoveNextAsync().AsTask().DefaultTimeout());
        return _events.Current is TopicEvent.Heartbeat;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _events.DisposeAsync();
        await _client.DisposeAsync();
        _stop.Dispose();
    }
}
