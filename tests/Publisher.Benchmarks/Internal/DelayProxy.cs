using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// A TCP proxy on 127.0.0.1 that models a network path of a given round trip: every byte takes half of it each way,
/// and a new connection becomes usable one round trip after it was accepted (a client's bytes are held until then),
/// so a TCP connect costs one round trip, a TLS 1.3 handshake one more, and each request and its response one.
/// </summary>
/// <remarks>Blocking sockets on their own threads, one reader and one writer per direction: a chunk is stamped
/// when it is read and written when it is due, so chunks sent close together are not delayed one after another.
/// Waits sleep to within a millisecond of the due time and then yield-spin, since the thread pool's timers are
/// coarser than the 0.5 ms one-way delay of the same-region setting.</remarks>
internal sealed class DelayProxy : IDisposable, IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _upstream;
    private readonly long _oneWayTicks;
    private readonly ConcurrentBag<Socket> _sockets = [];
    private volatile bool _disposed;
    private int _accepted;

    private DelayProxy(Socket listener, IPEndPoint upstream, double roundTripMs)
    {
        _listener = listener;
        _upstream = upstream;
        RoundTripMs = roundTripMs;
        _oneWayTicks = (long)(roundTripMs / 2 * Stopwatch.Frequency / 1000);
        new Thread(AcceptLoop) { IsBackground = true, Name = "delay-proxy accept" }.Start();
    }

    /// <summary>The modelled round trip.</summary>
    public double RoundTripMs { get; }

    /// <summary>The port clients connect to (on 127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Starts a proxy to <paramref name="upstreamPort"/> on 127.0.0.1.</summary>
    public static DelayProxy Start(int upstreamPort, double roundTripMs)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return new DelayProxy(listener, new IPEndPoint(IPAddress.Loopback, upstreamPort), roundTripMs);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var accepted = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _accepted);
            client.NoDelay = true;
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _sockets.Add(client);
            _sockets.Add(server);
            try
            {
                server.Connect(_upstream);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            // The SYN/SYN-ACK exchange: nothing the client sends goes on before one round trip has passed since the accept.
            var usableAt = accepted + (2 * _oneWayTicks);
            Pipe(client, server, usableAt, "up");
            Pipe(server, client, 0, "down");
        }
    }

    private void Pipe(Socket from, Socket to, long notBefore, string direction)
    {
        var queue = new BlockingCollection<(long Due, byte[]? Bytes)>();
        var reader = new Thread(() =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = from.Receive(buffer);
                    var due = Math.Max(Stopwatch.GetTimestamp(), notBefore) + _oneWayTicks;
                    if (read == 0)
                    {
                        queue.Add((due, null));
                        return;
                    }

                    queue.Add((due, buffer.AsSpan(0, read).ToArray()));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                queue.Add((0, null));
            }
        })
        {
            IsBackground = true,
            Name = "delay-proxy read " + direction,
        };
        var writer = new Thread(() =>
        {
            try
            {
                foreach (var (due, bytes) in queue.GetConsumingEnumerable())
                {
                    WaitUntil(due);
                    if (bytes is null)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    to.Send(bytes);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                from.Dispose();
                to.Dispose();
            }
        })
        {
            IsBackground = true,
            Name = "delay-proxy write " + direction,
        };
        reader.Start();
        writer.Start();
    }

    /// <summary>Waits until the monotonic clock reaches <paramref name="due"/>, within tens of microseconds.</summary>
    public static void WaitUntil(long due)
    {
        while (true)
        {
            var left = due - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            var leftMs = left * 1000.0 / Stopwatch.Frequency;
            if (leftMs > 1.5)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(leftMs - 1.2));
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
