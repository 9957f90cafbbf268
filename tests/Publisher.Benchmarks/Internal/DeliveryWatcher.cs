using System.Diagnostics;
using Momento.Topics.Client;

namespace Publisher.Benchmarks.Internal;

/// <summary>A subscription that counts text items and tells when the n-th one arrived.</summary>
internal sealed class DeliveryWatcher : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<long> _arrivals = [];
    private readonly List<(int Count, TaskCompletionSource<long> Reached)> _waiters = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private string? _failure;

    private DeliveryWatcher()
    {
    }

    public static async Task<DeliveryWatcher> StartAsync(TopicClient client, string topic, CancellationToken cancellationToken)
    {
        var watcher = new DeliveryWatcher();
        watcher._loop = watcher.RunAsync(client, topic);
        await watcher._ready.Task.WaitAsync(Timeouts.Step, cancellationToken).ConfigureAwait(false);
        return watcher;
    }

    /// <summary>Completes with the timestamp at which the <paramref name="count"/>-th item arrived.</summary>
    public Task<long> WhenCountAsync(int count)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException<long>(new InvalidOperationException(_failure));
            }

            if (_arrivals.Count >= count)
            {
                return Task.FromResult(_arrivals[count - 1]);
            }

            var reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(TopicClient client, string topic)
    {
        await foreach (var e in client.SubscribeAsync(BenchContext.CacheName, topic, cancellationToken: _stop.Token).ConfigureAwait(false))
        {
            switch (e)
            {
                case TopicEvent.Heartbeat:
                    _ready.TrySetResult();
                    break;
                case TopicEvent.TextItem:
                    Arrived(Stopwatch.GetTimestamp());
                    break;
                case TopicEvent.Discontinuity d:
                    Fail($"The subscription to {topic} reported a gap ({d.LastSequenceNumber} → {d.NewSequenceNumber}).");
                    break;
                case TopicEvent.Error error:
                    Fail($"The subscription to {topic} failed: {error.TopicError.Message}");
                    break;
            }
        }
    }

    private void Arrived(long timestamp)
    {
        lock (_gate)
        {
            _arrivals.Add(timestamp);
            var count = _arrivals.Count;
            foreach (var waiter in _waiters.Where(w => w.Count <= count).ToList())
            {
                waiter.Reached.TrySetResult(_arrivals[waiter.Count - 1]);
                _waiters.Remove(waiter);
            }
        }
    }

    private void Fail(string message)
    {
        lock (_gate)
        {
            _failure ??= message;
            foreach (var waiter in _waiters)
            {
                waiter.Reached.TrySetException(new InvalidOperationException(message));
            }

            _waiters.Clear();
        }

        _ready.TrySetException(new InvalidOperationException(message));
    }
}
