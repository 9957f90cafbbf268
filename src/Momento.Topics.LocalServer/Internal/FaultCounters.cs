using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>How many times each distinct fault spec has fired, so a count limits it to N calls.</summary>
internal sealed class FaultCounters
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);

    /// <summary>Returns true when the fault should fire: no limit, or fewer than <paramref name="limit"/> firings so far.</summary>
    public bool TryConsume(string key, int? limit)
    {
        if (limit is null)
        {
            return true;
        }
        var box = _counts.GetOrAdd(key, static _ => new StrongBox<long>());
        return Interlocked.Increment(ref box.Value) <= limit.Value;
    }
}
