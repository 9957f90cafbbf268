using Momento.Topics.Client;

namespace Publisher.Local.WebConsole;

/// <summary>One of a page's subscriptions: a real subscription by the project's client, each event forwarded to the page.</summary>
internal sealed class TopicWatch : IDisposable
{
    private readonly CancellationTokenSource _stop;

    public TopicWatch(string id, string topic, CancellationToken pageClosed)
    {
        Id = id;
        Topic = topic;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(pageClosed);
    }

    /// <summary>The id within its page.</summary>
    public string Id { get; }

    /// <summary>The topic watched.</summary>
    public string Topic { get; }

    /// <summary>Completes when the subscription has ended and its stream is closed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts the subscription, its events queued on <paramref name="page"/>; <paramref name="ended"/> runs once it is over, however it ended.</summary>
    public void Start(TopicClient client, string cacheName, SubscribeOptions? start, ConsolePage page, Action ended) =>
        Completion = RunAsync(client, cacheName, start, page, ended);

    /// <summary>Ends the subscription (the page's stop button).</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already ended.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(TopicClient client, string cacheName, SubscribeOptions? start, ConsolePage page, Action ended)
    {
        // Off the caller's thread: the request that started it answers at once.
        await Task.Yield();
        var reason = "stopped";
        try
        {
            // The client reports failures as a last Error event and ends quietly when cancelled; it does not throw.
            await foreach (var topicEvent in client.SubscribeAsync(cacheName, Topic, start, _stop.Token).ConfigureAwait(false))
            {
                var frame = ConsoleEvents.FromTopicEvent(Id, Topic, topicEvent);
                if (topicEvent is not TopicEvent.Error)
                {
                    page.Offer(frame);
                }
                else
                {
                    page.OfferLast(frame);
                    reason = "error";
                    break;
                }
            }
        }
        finally
        {
            page.OfferLast(ConsoleEvents.Ended(Id, Topic, reason));
            ended();
        }
    }
}
