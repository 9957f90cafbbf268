using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

public sealed partial class TopicClient
{
    /// <summary>
    /// Subscribes to a topic. The stream is resumed after failures other than not found, permission,
    /// authentication and invalid argument, without losing or repeating items the service still holds.
    /// </summary>
    /// <param name="cacheName">The cache; must not be blank.</param>
    /// <param name="topicName">The topic; must not be blank.</param>
    /// <param name="options">Where to start; default: with the next published item.</param>
    /// <param name="cancellationToken">Ends the enumeration quietly, without an error event.</param>
    /// <returns>
    /// Heartbeats (the first event of every stream), items and discontinuities; a failure that cannot be
    /// resumed is yielded as one <see cref="TopicEvent.Error"/>, after which the enumeration ends. It does not throw.
    /// </returns>
    public IAsyncEnumerable<TopicEvent> SubscribeAsync(string cacheName, string topicName, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var subscription = new Subscription(_channels, _headers, _options, _disposed.Token, cacheName, topicName, options);
        return subscription.RunAsync(cancellationToken);
    }
}
