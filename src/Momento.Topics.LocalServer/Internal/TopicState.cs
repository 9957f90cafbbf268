using Momento.Protos.CacheClient.Pubsub;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// One topic: its current page, next sequence number, replay buffer and subscribers.
/// A single lock orders publishes, attaches and resets, so every subscriber sees the same sequence.
/// </summary>
internal sealed class TopicState
{
    private readonly Lock _gate = new();
    private readonly Queue<_SubscriptionItem> _replay = new();
    private readonly int _replayCapacity;
    private readonly List<Subscriber> _subscribers = [];
    private ulong _page;
    private ulong _nextSeq = 1;

    public TopicState(ulong page, int replayCapacity)
    {
        _page = page;
        _replayCapacity = replayCapacity;
    }

    /// <summary>Numbers the value, keeps it for replay and offers it to every subscriber; never blocks on them.</summary>
    public ulong Publish(_TopicValue value)
    {
        lock (_gate)
        {
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
                    _replay.Dequeue();
                }
                _replay.Enqueue(item);
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
    public IReadOnlyList<_SubscriptionItem> Attach(Subscriber subscriber, ulong resumeAt, ulong page)
    {
        lock (_gate)
        {
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
            _page = newPage;
            _nextSeq = 1;
            _replay.Clear();
            foreach (var subscriber in _subscribers)
            {
                subscriber.OnReset(newPage);
            }
        }
    }
}
