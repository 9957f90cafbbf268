using System.Collections.Concurrent;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>One declared cache: its topics and its count of open subscriptions.</summary>
internal sealed class CacheState
{
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly Func<ulong> _nextPage;
    private readonly int _replayCapacity;
    private readonly int _maxSubscriptions;
    private int _subscriptions;

    public CacheState(string name, Func<ulong> nextPage, int replayCapacity, int maxSubscriptions)
    {
        Name = name;
        _nextPage = nextPage;
        _replayCapacity = replayCapacity;
        _maxSubscriptions = maxSubscriptions;
    }

    public string Name { get; }

    /// <summary>Topics spring into existence on first use, as on the hosted service.</summary>
    public TopicState GetTopic(string topic) =>
        _topics.GetOrAdd(topic, static (_, self) => new TopicState(self._nextPage(), self._replayCapacity), this);

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
}
