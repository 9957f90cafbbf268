using System.Threading.Channels;
using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// One subscription's bounded queue. The topic offers items under its own lock (so offers are
/// ordered); the stream pump takes them. A full queue drops the item for this subscriber only and
/// remembers the gap, which is reported as one discontinuity once there is room again.
/// </summary>
internal sealed class Subscriber
{
    private readonly Lock _gate = new();
    private readonly Channel<_SubscriptionItem> _queue;
    private readonly int _capacity;

    // Last sequence number this subscriber has been given (queued or replayed).
    private ulong _lastSeq;

    // What the topic will publish next; a pending gap resolves to it.
    private ulong _expectedSeq;
    private ulong _expectedPage;

    private bool _gapPending;
    private ulong _gapLast;
    private long _dropped;

    public Subscriber(int capacity)
    {
        _capacity = capacity;
        _queue = Channel.CreateBounded<_SubscriptionItem>(new BoundedChannelOptions(capacity)
        {
            // TryWrite fails instead of blocking or evicting: the publisher never waits.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Items this subscriber lost because its queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Sets the starting point; called by the topic under its lock while attaching.</summary>
    public void Initialize(ulong lastSeq, ulong nextSeq, ulong page)
    {
        lock (_gate)
        {
            _lastSeq = lastSeq;
            _expectedSeq = nextSeq;
            _expectedPage = page;
        }
    }

    /// <summary>Queues a published item without ever blocking; called under the topic lock.</summary>
    public void Offer(_SubscriptionItem item)
    {
        var seq = item.Item.TopicSequenceNumber;
        var page = item.Item.SequencePage;
        lock (_gate)
        {
            _expectedSeq = seq + 1;
            _expectedPage = page;
            if (_gapPending)
            {
                // The discontinuity must precede the item, so both need room.
                if (_queue.Reader.Count + 2 <= _capacity)
                {
                    _queue.Writer.TryWrite(Discontinuity(_gapLast, seq, page));
                    _queue.Writer.TryWrite(item);
                    _gapPending = false;
                    _lastSeq = seq;
                }
                else
                {
                    Interlocked.Increment(ref _dropped);
                }
                return;
            }
            if (_queue.Writer.TryWrite(item))
            {
                _lastSeq = seq;
                return;
            }
            _gapPending = true;
            _gapLast = _lastSeq;
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Tells the subscriber the topic restarted on a new page; called under the topic lock.</summary>
    public void OnReset(ulong newPage)
    {
        lock (_gate)
        {
            _expectedSeq = 1;
            _expectedPage = newPage;
            if (_gapPending)
            {
                // The pending discontinuity will name the new page when it is sent.
                return;
            }
            if (_queue.Writer.TryWrite(Discontinuity(_lastSeq, 1, newPage)))
            {
                _lastSeq = 0;
                return;
            }
            _gapPending = true;
            _gapLast = _lastSeq;
        }
    }

    /// <summary>Takes the next message to send, or a discontinuity for a gap once the queue drained.</summary>
    public bool TryTake(out _SubscriptionItem message)
    {
        lock (_gate)
        {
            if (_queue.Reader.TryRead(out message!))
            {
                return true;
            }
            if (_gapPending)
            {
                // A gap is only recorded while the queue is full, so the reader always wakes to see it.
                message = Discontinuity(_gapLast, _expectedSeq, _expectedPage);
                _gapPending = false;
                _lastSeq = _expectedSeq - 1;
                return true;
            }
            return false;
        }
    }

    /// <summary>Completes when a message may be available.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        _queue.Reader.WaitToReadAsync(cancellationToken);

    internal static _SubscriptionItem Discontinuity(ulong last, ulong next, ulong page) => new()
    {
        Discontinuity = new _Discontinuity
        {
            LastTopicSequence = last,
            NewTopicSequence = next,
            NewSequencePage = page,
        },
    };
}
