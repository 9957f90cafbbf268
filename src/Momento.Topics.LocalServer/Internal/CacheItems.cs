using Google.Protobuf;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// One cache's key-value items, with Momento's semantics: every item has a TTL (read on the server's clock), an expired
/// item is a miss, and a set-if-absent is atomic. What the items hold (keys, values and a fixed overhead each) is charged
/// against a budget; over it, expired items go first, then those closest to expiring, as a full cache evicts, so memory
/// stays bounded whatever arrives.
/// </summary>
internal sealed class CacheItems
{
    /// <summary>What an item costs beyond its key and value: the entry, its two byte strings and the dictionary slot.</summary>
    internal const int OverheadBytes = 128;

    private readonly Dictionary<ByteString, Item> _items = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _maxBytes;
    private long _bytes;

    public CacheItems(TimeProvider time, long maxBytes)
    {
        _time = time;
        _maxBytes = maxBytes;
    }

    /// <summary>Bytes the items hold now (an estimate: keys and values plus <see cref="OverheadBytes"/> each).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public ByteString? Get(ByteString key)
    {
        lock (_gate)
        {
            return TryGetLive(key, out var item) ? item.Value : null;
        }
    }

    public void Set(ByteString key, ByteString value, ulong ttlMilliseconds)
    {
        lock (_gate)
        {
            Put(key, value, ttlMilliseconds);
        }
    }

    /// <summary>Stores the value only when the key holds no live item; returns whether it did.</summary>
    public bool SetIfAbsent(ByteString key, ByteString value, ulong ttlMilliseconds)
    {
        lock (_gate)
        {
            if (TryGetLive(key, out _))
            {
                return false;
            }

            Put(key, value, ttlMilliseconds);
            return true;
        }
    }

    public void Delete(ByteString key)
    {
        lock (_gate)
        {
            Remove(key);
        }
    }

    private bool TryGetLive(ByteString key, out Item item)
    {
        if (!_items.TryGetValue(key, out item))
        {
            return false;
        }

        if (item.ExpiresAt > _time.GetUtcNow())
        {
            return true;
        }

        Remove(key);
        return false;
    }

    private void Put(ByteString key, ByteString value, ulong ttlMilliseconds)
    {
        Remove(key);
        // A TTL beyond the calendar's end lives as long as the clock can say.
        var now = _time.GetUtcNow();
        var expiresAt = ttlMilliseconds >= (ulong)(DateTimeOffset.MaxValue - now).TotalMilliseconds
            ? DateTimeOffset.MaxValue
            : now.AddMilliseconds(ttlMilliseconds);
        _items[key] = new Item(value, expiresAt);
        _bytes += Cost(key, value);
        Trim(now);
    }

    private void Remove(ByteString key)
    {
        if (_items.Remove(key, out var old))
        {
            _bytes -= Cost(key, old.Value);
        }
    }

    // Over budget: drop expired items, then the soonest to expire, down to three quarters of it, so the scan is paid once
    // per quarter of the budget. An item larger than the whole budget does not stay either.
    private void Trim(DateTimeOffset now)
    {
        if (_bytes <= _maxBytes)
        {
            return;
        }

        var target = _maxBytes / 4 * 3;
        foreach (var (key, _) in _items.Where(pair => pair.Value.ExpiresAt <= now).ToArray())
        {
            Remove(key);
        }

        foreach (var (key, _) in _items.OrderBy(pair => pair.Value.ExpiresAt).ToArray())
        {
            if (_bytes <= target)
            {
                break;
            }

            Remove(key);
        }
    }

    private static long Cost(ByteString key, ByteString value) => key.Length + value.Length + OverheadBytes;

    private readonly record struct Item(ByteString Value, DateTimeOffset ExpiresAt);
}
