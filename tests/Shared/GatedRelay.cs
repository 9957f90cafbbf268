using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Tests.Shared;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server, for tests of a process's connections: it counts the connections it
/// accepts and the HTTP/2 requests (HEADERS frames) clients send, can hold what the clients send (a closed gate: calls
/// stay in flight, deterministically, until it opens), and can drop every connection at once, as a server restart or
/// a load balancer's idle cut does. The request count needs plaintext HTTP/2 (h2c); over TLS it relays and drops alike.
/// </summary>
internal sealed class GatedRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource _gate = Opened();
    private int _accepted;
    private int _requests;

    public GatedRelay(string targetHostPort)
    {
        var colon = targetHostPort.LastIndexOf(':');
        _targetHost = targetHostPort[..colon];
        _targetPort = int.Parse(targetHostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _listener.Start();
        HostPort = "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>host:port the clients connect to.</summary>
    public string HostPort { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>HTTP/2 requests (HEADERS frames) the clients have sent so far, held or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Waits until the clients have sent at least <paramref name="count"/> requests in all.</summary>
    public async Task WhenRequestsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
        while (Requests < count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Holds what clients send from now on (the server's side still flows) until <see cref="Open"/>.</summary>
    public void Close()
    {
        lock (_sockets)
        {
            if (_gate.Task.IsCompleted)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Forwards what was held, and everything after.</summary>
    public void Open()
    {
        lock (_sockets)
        {
            _gate.TrySetResult();
        }
    }

    /// <summary>Closes every relayed connection on both sides (what was held is lost); new ones are accepted as before.</summary>
    public void DropAll()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            _sockets.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Open();
        DropAll();
        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                _ = RelayAsync(client, server);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped (a listener stopped between two accepts throws InvalidOperationException).
        }
    }

    private async Task RelayAsync(Socket client, Socket server)
    {
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            await Task.WhenAny(FromClientAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The server is gone, or the test dropped the connection.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    // Reads all the client sends (counting its requests) whatever the gate; forwards it only while the gate is open.
    private async Task FromClientAsync(Socket client, Socket server)
    {
        var held = Channel.CreateUnbounded<byte[]>();
        var forwarding = ForwardAsync(held.Reader, server);
        var frames = new FrameCounter(() => Interlocked.Increment(ref _requests));
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                frames.Feed(buffer.AsSpan(0, read));
                held.Writer.TryWrite(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed on either side.
        }

        held.Writer.TryComplete();
        await forwarding;
    }

    private async Task ForwardAsync(ChannelReader<byte[]> held, Socket server)
    {
        try
        {
            await foreach (var chunk in held.ReadAllAsync(_stop.Token))
            {
                Task gate;
                lock (_sockets)
                {
                    gate = _gate.Task;
                }

                await gate.WaitAsync(_stop.Token);
                await server.SendAsync(chunk, SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed on either side.
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed on either side.
        }
    }

    /// <summary>Walks a client's HTTP/2 byte stream (the 24-byte preface, then 9-byte frame headers and their payloads)
    /// and reports each HEADERS frame: one per request.</summary>
    private sealed class FrameCounter(Action onRequest)
    {
        private const int PrefaceLength = 24;
        private const byte HeadersFrame = 0x1;
        private readonly byte[] _header = new byte[9];
        private long _skip = PrefaceLength;
        private int _headerFilled;

        public void Feed(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (_skip > 0)
                {
                    var skipped = (int)Math.Min(_skip, data.Length);
                    _skip -= skipped;
                    data = data[skipped..];
                    continue;
                }

                var take = Math.Min(_header.Length - _headerFilled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled == _header.Length)
                {
                    _headerFilled = 0;
                    _skip = (BinaryPrimitives.ReadInt32BigEndian(_header) >> 8) & 0xFFFFFF;
                    if (_header[3] == HeadersFrame)
                    {
                        onRequest();
                    }
                }
            }
        }
    }
}
