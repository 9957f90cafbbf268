using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// One topic: its current page, next sequence number, replay buffer and subscribers.
/// A single lock orders publishes, attaches, resets and retirement, so every subscriber sees the same sequence.
/// What the topic holds (its name and replay buffer) is charged to its cache, which retires idle topics to stay
/// within its budget (see <see cref="CacheState"/>); a retired topic takes nothing more and its callers start anew.
/// </summary>
internal sealed class TopicState
{
    // Rough cost of a topic's entry and of one buffered item beyond their payload: enough to bound their count too.
    private const int EntryOverheadBytes = 256;
    private const int ItemOverheadBytes = 128;

    private readonly Lock _gate = new();
    private readonly Queue<_SubscriptionItem> _replay = new();
    private readonly int _replayCapacity;
    private readonly List<Subscriber> _subscribers = [];
    private readonly Action<long> _charge;
    private ulong _page;
    private ulong _nextSeq = 1;
    private readonly long _entryCost;
    private long _charged;
    private bool _retired;

    public TopicState(string name, ulong page, int replayCapacity, Action<long> charge)
    {
        _page = page;
        _replayCapacity = replayCapacity;
        _charge = charge;
        _entryCost = (name.Length * sizeof(char)) + EntryOverheadBytes;
        Charge(_entryCost);
    }

    /// <summary>When the topic was last published to or subscribed (<see cref="Environment.TickCount64"/>), for eviction order.</summary>
    public long LastUsed { get; private set; } = Environment.TickCount64;

    /// <summary>Numbers the value, keeps it for replay and offers it to every subscriber; never blocks on them. Null when the topic was retired.</summary>
    public ulong? Publish(_TopicValue value)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return null;
            }

            LastUsed = Environment.TickCount64;
            var item = new _SubscriptionItem
            {
                Item = new _TopicItem
                {
                    TopicSequenceNumber = _nextSeq++,
                    Value = value,
                    PublisherId = string.Empty,
                    SequencePage = _page,
                },
            };
            if (_replayCapacity > 0)
            {
                if (_replay.Count == _replayCapacity)
                {
                    Charge(-Cost(_replay.Dequeue()));
                }
                _replay.Enqueue(item);
                Charge(Cost(item));
            }
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(item);
            }
            return item.Item.TopicSequenceNumber;
        }
    }

    /// <summary>
    /// Registers the subscriber and returns what it must get before live items: nothing for a fresh
    /// subscription, buffered items from <paramref name="resumeAt"/> (inclusive) for a servable resume, or a
    /// discontinuity when the buffer no longer holds the resume point (followed by what it still holds) or
    /// the page differs. A discontinuity names the last item the subscriber has (<c>resumeAt - 1</c>) and the
    /// next it will get, so <c>new - last - 1</c> is exactly the number of items it skipped.
    /// </summary>
    public IReadOnlyList<_SubscriptionItem>? Attach(Subscriber subscriber, ulong resumeAt, ulong page)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return null;
            }

            LastUsed = Environment.TickCount64;
            _subscribers.Add(subscriber);
            subscriber.Initialize(_nextSeq - 1, _nextSeq, _page);
            if (resumeAt == 0)
            {
                // 0 means "not provided": a fresh, live-only subscription.
                return [];
            }
            var last = resumeAt - 1;
            if (page == _page && resumeAt <= _nextSeq)
            {
                var oldest = _replay.Count > 0 ? _replay.Peek().Item.TopicSequenceNumber : _nextSeq;
                if (resumeAt >= oldest)
                {
                    // Within the buffer (or exactly the next item, with nothing to replay): no gap.
                    return _replay.Where(i => i.Item.TopicSequenceNumber >= resumeAt).ToList();
                }
                // Part of the gap is gone: say what was skipped, then replay what is still held.
                return [Subscriber.Discontinuity(last, oldest, _page), .. _replay];
            }
            // Another incarnation of the topic (or a position it never reached): carry on with live items.
            return [Subscriber.Discontinuity(last, _nextSeq, _page)];
        }
    }

    public void Detach(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>Starts a new incarnation: a new page, numbers from 1, an empty buffer.</summary>
    public void Reset(ulong newPage)
    {
        lock (_gate)
        {
            if (_retired)
            {
                // Nobody holds it: the next caller gets a new incarnation anyway.
                return;
            }

            _page = newPage;
            _nextSeq = 1;
            _replay.Clear();
            Charge(-(_charged - _entryCost));
            foreach (var subscriber in _subscribers)
            {
                subscriber.OnReset(newPage);
            }
        }
    }

    /// <summary>Retires the topic if nobody subscribes to it: its buffer is dropped and its charge returned. False when in use.</summary>
    public bool TryRetire()
    {
        lock (_gate)
        {
            if (_retired || _subscribers.Count > 0)
            {
                return false;
            }

            _retired = true;
            _replay.Clear();
            Charge(-_charged);
            return true;
        }
    }

    private static long Cost(_SubscriptionItem item) => item.Item.Value.CalculateSize() + ItemOverheadBytes;

    private void Charge(long bytes)
    {
        _charged += bytes;
        _charge(bytes);
    }
}
