using System.Net.Sockets;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// The sockets one channel's handler has connected, so that a connection that died while the process was frozen is
/// noticed before a call is sent on it. The peer's FIN or RST then already waits in the socket, but SocketsHttpHandler
/// learns of it only when its read loop next runs: a call started at the thaw can win that race and go out on the dead
/// connection, and its failure ("response ended") then cannot tell whether the request was applied.
/// </summary>
internal sealed class ConnectionSet
{
    private const int IpProtocolTcp = 6;
    private const int TcpInfo = 11;
    private const byte TcpEstablished = 1;

    private readonly Lock _gate = new();
    private readonly List<Socket> _sockets = [];

    public void Add(Socket socket)
    {
        lock (_gate)
        {
            _sockets.Add(socket);
        }
    }

    /// <summary>
    /// Whether a connection was closed or reset by its peer: its TCP state, read from the kernel (Linux's <c>TCP_INFO</c>),
    /// is no longer ESTABLISHED (CLOSE_WAIT after a FIN, CLOSE after a RST). One system call per connection, no round
    /// trip, and exact: a readable socket with nothing to read would also describe one whose read loop just took a frame.
    /// Sockets the handler has disposed are forgotten. Other systems have no such call here, and are not checked.
    /// </summary>
    public bool AnyClosedByPeer()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> info = stackalloc byte[8];
        lock (_gate)
        {
            for (var i = _sockets.Count - 1; i >= 0; i--)
            {
                try
                {
                    // struct tcp_info begins with tcpi_state.
                    if (_sockets[i].GetRawSocketOption(IpProtocolTcp, TcpInfo, info) > 0 && info[0] != TcpEstablished)
                    {
                        return true;
                    }
                }
                catch (ObjectDisposedException)
                {
                    _sockets.RemoveAt(i);
                }
                catch (SocketException)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
