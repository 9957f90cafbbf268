using Grpc.Core;
using Grpc.Net.Client;
using PubsubClient = Momento.Protos.CacheClient.Pubsub.Pubsub.PubsubClient;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// Owns the client's one gRPC channel (over its own HTTP/2 handler; unary calls and subscriptions share it) and replaces
/// it after an idle spell, because the service's load balancer drops idle connections without telling the client (and a
/// frozen Lambda cannot notice), and when a connection of an idle channel was closed by its peer (say while the process
/// was frozen). Calls hold a <see cref="Lease"/>; a replaced channel is disposed when its last lease ends.
/// </summary>
internal sealed class ChannelHolder : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Func<(GrpcChannel Channel, ConnectionSet Connections)> _createChannel;
    private readonly TimeProvider _time;
    private readonly TimeSpan _recycleAfter;
    private Entry _current;
    private long _lastActivity;
    private int _generation;
    private bool _disposed;

    /// <param name="createChannel">Creates the channel (which owns its handler) and the set its handler adds its connections to; called again on each recycle.</param>
    /// <param name="time">The clock for idle recycling.</param>
    /// <param name="recycleAfter">Idle time after which the next call gets a new channel.</param>
    public ChannelHolder(Func<(GrpcChannel Channel, ConnectionSet Connections)> createChannel, TimeProvider time, TimeSpan recycleAfter)
    {
        _createChannel = createChannel;
        _time = time;
        _recycleAfter = recycleAfter;
        _generation = 1;
        _current = new Entry(createChannel, _generation);
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

    /// <summary>Takes the current channel for one call, replacing it first when it has been idle too long, or when it is idle
    /// and a connection of it was closed by its peer.</summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Lease Acquire()
    {
        Entry? retired = null;
        Lease lease;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(TopicClient));
            var now = _time.GetTimestamp();

            // A channel with a call in flight (such as a subscription with its heartbeats) is not idle, and a connection
            // with traffic has its read loop busy on it: the check is for the calls that start after a quiet spell.
            if (_current.ActiveCalls == 0 && (_time.GetElapsedTime(_lastActivity, now) > _recycleAfter || _current.Connections.AnyClosedByPeer()))
            {
                retired = _current;
                _generation++;
                _current = new Entry(_createChannel, _generation);
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

    /// <summary>One channel and its clients; reference counted (the holder owns one reference while current).</summary>
    internal sealed class Entry
    {
        private readonly GrpcChannel _channel;
        private int _references = 1;
        private int _activeCalls;

        public Entry(Func<(GrpcChannel Channel, ConnectionSet Connections)> createChannel, int generation)
        {
            (_channel, Connections) = createChannel();
            Generation = generation;
            Invoker = _channel.CreateCallInvoker();
            Pubsub = new PubsubClient(Invoker);
        }

        public int Generation { get; }

        /// <summary>The connections the channel's handler opened.</summary>
        public ConnectionSet Connections { get; }

        /// <summary>Makes the unary calls.</summary>
        public CallInvoker Invoker { get; }

        /// <summary>Opens subscription streams.</summary>
        public PubsubClient Pubsub { get; }

        public int ActiveCalls => Volatile.Read(ref _activeCalls);

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
                _channel.Dispose();
            }
        }
    }

    /// <summary>The use of a channel by one call; dispose it when the call has finished.</summary>
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

        public CallInvoker Invoker => Entry.Invoker;

        public PubsubClient Pubsub => Entry.Pubsub;

        public int Generation => Entry.Generation;

        private Entry Entry => _entry ?? throw new ObjectDisposedException(nameof(Lease));

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
