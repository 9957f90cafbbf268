using System.Text;
using Momento.Topics.Client;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>What the local API's end-to-end tests share: a service's options, JSON bodies, and the items a subscriber receives.</summary>
internal static class LocalApiTesting
{
    /// <summary>A local service on free ports with fast heartbeats and an empty environment, logging to <paramref name="log"/>.</summary>
    public static LocalServiceOptions Options(LineWriter log) => new()
    {
        ApiPort = 0,
        TopicsPort = 0,
        Environment = TestEnvironment.None,
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        Log = log,
    };

    /// <summary>A UTF-8 JSON request body.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// Subscribes to <paramref name="topic"/> in the default cache, completes <paramref name="subscribed"/> at the first
    /// heartbeat, and returns the first <paramref name="count"/> items; a subscription error fails the test.
    /// </summary>
    public static async Task<List<TopicEvent>> ReceiveItemsAsync(
        TopicClient client, string topic, int count, TaskCompletionSource subscribed, CancellationToken cancellationToken = default)
    {
        var items = new List<TopicEvent>();
        await foreach (var topicEvent in client.SubscribeAsync("default-cache", topic, cancellationToken: cancellationToken))
        {
            switch (topicEvent)
            {
                case TopicEvent.Heartbeat:
                    subscribed.TrySetResult();
                    break;
                case TopicEvent.TextItem or TopicEvent.BinaryItem:
                    items.Add(topicEvent);
                    break;
                case TopicEvent.Error error:
                    throw new InvalidOperationException("The subscription failed: " + error.TopicError.Message);
            }

            if (items.Count == count)
            {
                break;
            }
        }

        return items;
    }
}
