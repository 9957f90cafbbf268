namespace Momento.Topics.Client.Internal;

/// <summary>
/// Owns the client's one HTTP/2 stack (its handler, and the gRPC channel subscriptions build on it) and replaces it
/// after an idle spell, because the service's load balancer drops idle connections without telling the client (and a
/// frozen Lambda cannot notice). Calls hold a <see cref="Lease"/>; a replaced stack is disposed when its last lease ends.
/// </summary>
internal sealed class ChannelHolder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Func<HttpMessageHandler> _createChannel;
    private readonly TimeProvider _time;
    private readonly TimeSpan _recycleAfter;
    private Entry _current;
    private long _lastActivity;
    private int _generation;
    private bool _disposed;

    /// <param name="createChannel">Creates the HTTP handler; called again on each recycle.</param>
    /// <param name="time">The clock for idle recycling.</param>
    /// <param name="recycleAfter">Idle time after which the next call gets a new channel.</param>
    public ChannelHolder(Func<HttpMessageHandler> createChannel, TimeProvider time, TimeSpan recycleAfter)
    {
        _createChannel = createChannel;
        _time = time;
        _recycleAfter = recycleAfter;
        _generation = 1;
        _current = new Entry(createChannel(), _generation);
        _lastActivity = time.GetTimestamp();
    }

    /// <summary>Counts channels created, starting at 1; a recycle adds one.</summary>
    public int Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation;
            }
        }
    }

    /// <summary>Takes the current channel for one call, replacing it first when it has been idle too long.</summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Lease Acquire()
    {
        Entry? retired = null;
        Lease lease;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(TopicClient));
            var now = _time.GetTimestamp();

            // A channel with a call in flight (such as a subscription with its heartbeats) is not idle.
            if (_current.ActiveCalls == 0 && _time.GetElapsedTime(_lastActivity, now) > _recycleAfter)
            {
                retired = _current;
                _generation++;
                _current = new Entry(_createChannel(), _generation);
            }

            _lastActivity = now;
            lease = new Lease(this, _current);
        }

        retired?.Release();
        return lease;
    }

    public void Dispose()
    {
        Entry current;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            current = _current;
        }

        current.Release();
    }

    private void OnLeaseEnded(Entry entry)
    {
        lock (_gate)
        {
            _lastActivity = _time.GetTimestamp();
        }

        entry.Release();
    }

    /// <summary>One HTTP stack and what is built on it; reference counted (the holder owns one reference while current).</summary>
    internal sealed class Entry
    {
        private readonly Lock _gate = new();
        private readonly HttpMessageHandler _handler;
        private IDisposable? _attached;
        private int _references = 1;
        private int _activeCalls;

        public Entry(HttpMessageHandler handler, int generation)
        {
            _handler = handler;
            Generation = generation;
            Http = new HttpMessageInvoker(handler, disposeHandler: false);
        }

        public int Generation { get; }

        /// <summary>Sends the unary calls.</summary>
        public HttpMessageInvoker Http { get; }

        public int ActiveCalls => Volatile.Read(ref _activeCalls);

        /// <summary>
        /// What <paramref name="create"/> builds on this entry's handler (the subscriptions' gRPC channel), built on first
        /// use only, so that a client that never subscribes never creates, nor links, it. Disposed with the entry.
        /// </summary>
        public T GetOrAttach<T>(Func<HttpMessageHandler, T> create)
            where T : class, IDisposable
        {
            lock (_gate)
            {
                return (T)(_attached ??= create(_handler));
            }
        }

        public void AddCall()
        {
            Interlocked.Increment(ref _references);
            Interlocked.Increment(ref _activeCalls);
        }

        public void EndCall() => Interlocked.Decrement(ref _activeCalls);

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                lock (_gate)
                {
                    _attached?.Dispose();
                }

                Http.Dispose();
                _handler.Dispose();
            }
        }
    }

    /// <summary>The use of an HTTP stack by one call; dispose it when the call has finished.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly ChannelHolder _owner;
        private Entry? _entry;

        public Lease(ChannelHolder owner, Entry entry)
        {
            _owner = owner;
            _entry = entry;
            entry.AddCall();
        }

        public HttpMessageInvoker Http => Entry.Http;

        public Entry Entry => _entry ?? throw new ObjectDisposedException(nameof(Lease));

        public int Generation => Entry.Generation;

        public void Dispose()
        {
            var entry = Interlocked.Exchange(ref _entry, null);
            if (entry is not null)
            {
                entry.EndCall();
                _owner.OnLeaseEnded(entry);
            }
        }
    }
}
