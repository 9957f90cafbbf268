using System.Diagnostics;
using System.Globalization;
using Momento.Topics.Client;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// One fan-out subscriber: checks that items from each publisher arrive once and in order, records
/// publish→receive latency from the timestamp in each value, and counts what discontinuities reported as lost.
/// </summary>
internal sealed class SubscriberProbe
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _lastSeqByPublisher = [];
    private readonly List<double> _latenciesMs = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _received;
    private long _duplicates;
    private long _gapMessages;
    private long _lastArrival;
    private long? _target;

    public SubscriberProbe(int topicIndex)
    {
        TopicIndex = topicIndex;
    }

    public int TopicIndex { get; }

    /// <summary>Completes once the stream's first heartbeat arrived: the subscriber is attached.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes once received plus reported-lost items cover the target, or the subscription ended.</summary>
    public Task Drained => _drained.Task;

    public string? Error { get; private set; }

    /// <summary>Publishes a value that carries its publisher, its number and the time it was sent.</summary>
    public static string Value(int publisher, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{publisher}:{sequence}:{Stopwatch.GetTimestamp()}");

    public async Task RunAsync(TopicClient client, string cacheName, string topic, CancellationToken stop)
    {
        await foreach (var e in client.SubscribeAsync(cacheName, topic, cancellationToken: stop).ConfigureAwait(false))
        {
            var now = Stopwatch.GetTimestamp();
            switch (e)
            {
                case TopicEvent.Heartbeat:
                    _ready.TrySetResult();
                    break;
                case TopicEvent.TextItem item:
                    OnItem(item.Value, now);
                    break;
                case TopicEvent.Discontinuity gap:
                    lock (_gate)
                    {
                        _gapMessages += gap.NewSequenceNumber > gap.LastSequenceNumber ? (long)(gap.NewSequenceNumber - gap.LastSequenceNumber - 1) : 0;
                        CheckDrained();
                    }

                    break;
                case TopicEvent.Error error:
                    Error = error.TopicError.Message;
                    _ready.TrySetException(new InvalidOperationException("A fan-out subscription failed: " + Error));
                    _drained.TrySetResult();
                    break;
            }
        }
    }

    /// <summary>Sets how many items were acknowledged on this subscriber's topic.</summary>
    public void ExpectTotal(long acknowledged)
    {
        lock (_gate)
        {
            _target = acknowledged;
            CheckDrained();
        }
    }

    public Snapshot Take()
    {
        lock (_gate)
        {
            return new Snapshot(_received, _duplicates, _gapMessages, _lastArrival, [.. _latenciesMs]);
        }
    }

    private void OnItem(string value, long now)
    {
        var span = value.AsSpan();
        var first = span.IndexOf(':');
        var second = first + 1 + span[(first + 1)..].IndexOf(':');
        var publisher = int.Parse(span[..first], CultureInfo.InvariantCulture);
        var sequence = long.Parse(span[(first + 1)..second], CultureInfo.InvariantCulture);
        var sent = long.Parse(span[(second + 1)..], CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (_lastSeqByPublisher.TryGetValue(publisher, out var last) && sequence <= last)
            {
                _duplicates++;
                return;
            }

            _lastSeqByPublisher[publisher] = sequence;
            _received++;
            _lastArrival = now;
            _latenciesMs.Add(Samples.ElapsedMs(sent, now));
            CheckDrained();
        }
    }

    private void CheckDrained()
    {
        if (_target is { } target && _received + _gapMessages >= target)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>What the subscriber saw.</summary>
    /// <param name="Received">Items received once, in order per publisher.</param>
    /// <param name="Duplicates">Items received again or out of order.</param>
    /// <param name="GapMessages">Items that discontinuities reported as lost.</param>
    /// <param name="LastArrival">Stopwatch timestamp of the last item.</param>
    /// <param name="LatenciesMs">Publish→receive of each item.</param>
    internal sealed record Snapshot(long Received, long Duplicates, long GapMessages, long LastArrival, IReadOnlyList<double> LatenciesMs);
}
