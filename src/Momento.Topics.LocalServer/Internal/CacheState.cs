using System.Collections.Concurrent;
using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// One declared cache: its topics and its count of open subscriptions. What its topics hold (names and replay
/// buffers) is charged against a budget; over it, the least recently used topics nobody subscribes to are forgotten,
/// as a hosted service forgets idle topics, so a flood of distinct topic names cannot grow memory without bound.
/// </summary>
internal sealed class CacheState
{
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Lock _trimGate = new();
    private readonly Func<ulong> _nextPage;
    private readonly int _replayCapacity;
    private readonly int _maxSubscriptions;
    private readonly long _maxRetainedBytes;
    private int _subscriptions;
    private long _retained;

    public CacheState(string name, Func<ulong> nextPage, int replayCapacity, int maxSubscriptions, long maxRetainedBytes, CacheItems items)
    {
        Name = name;
        Items = items;
        _nextPage = nextPage;
        _replayCapacity = replayCapacity;
        _maxSubscriptions = maxSubscriptions;
        _maxRetainedBytes = maxRetainedBytes;
    }

    public string Name { get; }

    /// <summary>The cache's key-value items (get, set, set-if-absent, delete).</summary>
    public CacheItems Items { get; }

    /// <summary>Bytes the cache's topics hold now (an estimate: payloads plus a fixed overhead per topic and item).</summary>
    public long RetainedBytes => Interlocked.Read(ref _retained);

    /// <summary>Topics spring into existence on first use, as on the hosted service.</summary>
    public TopicState GetTopic(string topic) =>
        _topics.GetOrAdd(topic, static (name, self) => new TopicState(name, self._nextPage(), self._replayCapacity, self.Charge), this);

    /// <summary>Publishes to the topic (a new incarnation if the old one was just forgotten), then keeps the cache within budget.</summary>
    public ulong Publish(string topic, _TopicValue value)
    {
        while (true)
        {
            // Null when retired between the lookup and the publish: it is gone from the map, so the next lookup makes a new one.
            if (GetTopic(topic).Publish(value) is { } sequence)
            {
                Trim();
                return sequence;
            }
        }
    }

    /// <summary>Attaches a subscriber to the topic; returns the topic it is attached to and its backlog.</summary>
    public (TopicState Topic, IReadOnlyList<_SubscriptionItem> Backlog) Attach(string topic, Subscriber subscriber, ulong resumeAt, ulong page)
    {
        while (true)
        {
            var state = GetTopic(topic);
            if (state.Attach(subscriber, resumeAt, page) is { } backlog)
            {
                Trim();
                return (state, backlog);
            }
        }
    }

    /// <summary>Takes one subscription slot, or returns false when the cache is at its limit.</summary>
    public bool TryAcquireSubscription()
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            if (current >= _maxSubscriptions)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _subscriptions, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void ReleaseSubscription() => Interlocked.Decrement(ref _subscriptions);

    private void Charge(long bytes) => Interlocked.Add(ref _retained, bytes);

    // Over budget: forget idle topics, least recently used first, down to three quarters of it, so the scan is
    // paid once per quarter of the budget, not on every publish.
    private void Trim()
    {
        if (RetainedBytes <= _maxRetainedBytes)
        {
            return;
        }

        lock (_trimGate)
        {
            if (RetainedBytes <= _maxRetainedBytes)
            {
                return;
            }

            var target = _maxRetainedBytes / 4 * 3;
            foreach (var (name, topic) in _topics.ToArray().OrderBy(pair => pair.Value.LastUsed))
            {
                if (RetainedBytes <= target)
                {
                    break;
                }

                if (topic.TryRetire())
                {
                    _topics.TryRemove(KeyValuePair.Create(name, topic));
                }
            }
        }
    }
}
