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
    /// Whether a connection was closed or reset by its peer: its socket is readable with nothing to read (an end of
    /// stream or an error waits). No round trip, one poll per connection. Sockets the handler has disposed are forgotten.
    /// </summary>
    public bool AnyClosedByPeer()
    {
        lock (_gate)
        {
            for (var i = _sockets.Count - 1; i >= 0; i--)
            {
                try
                {
                    if (_sockets[i].Poll(0, SelectMode.SelectRead) && _sockets[i].Available == 0)
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
