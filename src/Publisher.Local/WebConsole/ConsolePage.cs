using System.Threading.Channels;

namespace Publisher.Local.WebConsole;

/// <summary>
/// One open page: the bounded queue of events its SSE stream sends, and the subscriptions it holds. Producers (the
/// subscriptions, the invocation feed) never wait on a slow page: when its queue is full an event is dropped and
/// counted, and the page is told the count before the next event it receives.
/// </summary>
internal sealed class ConsolePage : IDisposable
{
    // Past the queue's bound, a subscription's last events (its error, its end) wait here instead of being dropped:
    // they change what the page shows, and at most two come per subscription, which the page's requests start.
    private const int OverflowCapacity = 64;

    // Queued when a last event overflows, so a reader that just emptied the queue wakes for the overflow; writes nothing.
    private static readonly byte[] WakeUp = [];

    private readonly Channel<byte[]> _queue;
    private readonly Channel<byte[]> _overflow = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(OverflowCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TopicWatch> _watches = new(StringComparer.Ordinal);
    private long _unreported;
    private long _dropped;
    private int _nextWatch;

    public ConsolePage(string id, int capacity)
    {
        Id = id;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            // TryWrite fails when full instead of evicting: a page that reads too slowly loses the newest events.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>The page's id: unguessable, it names the page in its subscription requests.</summary>
    public string Id { get; }

    /// <summary>Cancelled when the page's stream ends; its subscriptions end with it.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>What the stream sends.</summary>
    public ChannelReader<byte[]> Events => _queue.Reader;

    /// <summary>A subscription's last events that found the queue full; the stream sends them after what the queue holds.</summary>
    public ChannelReader<byte[]> Overflow => _overflow.Reader;

    /// <summary>Events dropped since the page opened.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an event without waiting; a full queue drops it and counts it.</summary>
    public void Offer(byte[] frame)
    {
        if (!_queue.Writer.TryWrite(frame))
        {
            Interlocked.Increment(ref _unreported);
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>
    /// Queues a subscription's last event (its error, its end) without waiting: a page that reads slowly loses items,
    /// but not the news that a subscription is over, or its pane would show it live forever.
    /// </summary>
    public void OfferLast(byte[] frame)
    {
        if (_queue.Writer.TryWrite(frame))
        {
            return;
        }

        if (_overflow.Writer.TryWrite(frame))
        {
            _queue.Writer.TryWrite(WakeUp);
        }
        else
        {
            Interlocked.Increment(ref _unreported);
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>The drops not yet told to the page, and resets that count.</summary>
    public long TakeUnreportedDrops() => Interlocked.Exchange(ref _unreported, 0);

    /// <summary>
    /// Adds a subscription, named <paramref name="id"/> or a fresh name, unless the page holds <paramref name="max"/>
    /// already, holds one by that name (<paramref name="duplicate"/>), or is closed.
    /// </summary>
    public TopicWatch? TryAdd(string? id, string topic, int max, out bool duplicate)
    {
        lock (_gate)
        {
            duplicate = id is not null && _watches.ContainsKey(id);
            if (duplicate || _closed.IsCancellationRequested || _watches.Count >= max)
            {
                return null;
            }

            while (id is null || _watches.ContainsKey(id))
            {
                id = "s" + (++_nextWatch).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var watch = new TopicWatch(id, topic, _closed.Token);
            _watches.Add(watch.Id, watch);
            return watch;
        }
    }

    /// <summary>Forgets a subscription that ended.</summary>
    public void Remove(TopicWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch.Id);
        }

        watch.Dispose();
    }

    /// <summary>Stops a subscription by id; false when the page holds none by that id.</summary>
    public bool Stop(string id)
    {
        TopicWatch? watch;
        lock (_gate)
        {
            _watches.TryGetValue(id, out watch);
        }

        watch?.Stop();
        return watch is not null;
    }

    /// <summary>The subscriptions still running, to await their end.</summary>
    public Task[] Running()
    {
        lock (_gate)
        {
            return [.. _watches.Values.Select(w => w.Completion)];
        }
    }

    /// <summary>Ends the page: its subscriptions stop, and no more events are queued.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed.Cancel();
        }

        _queue.Writer.TryComplete();
        _overflow.Writer.TryComplete();
    }
}
