using System.Collections.Frozen;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>All caches of one server, and the page counter that keeps topic incarnations increasing.</summary>
internal sealed class TopicHub
{
    private readonly FrozenDictionary<string, CacheState> _caches;
    private long _lastPage;

    public TopicHub(LocalTopicsServerOptions options, TimeProvider timeProvider)
    {
        // Pages start from the clock so a restarted server never reuses a page a client still holds.
        _lastPage = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _caches = options.Caches
            .Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(
                name => name,
                name => new CacheState(name, NextPage, options.ReplayBufferSize, options.MaxSubscriptionsPerCache, options.MaxRetainedBytesPerCache, new CacheItems(timeProvider, options.MaxItemBytesPerCache)),
                StringComparer.Ordinal);
    }

    public bool TryGetCache(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CacheState? cache) =>
        _caches.TryGetValue(name, out cache);

    public ulong NextPage() => (ulong)Interlocked.Increment(ref _lastPage);
}
