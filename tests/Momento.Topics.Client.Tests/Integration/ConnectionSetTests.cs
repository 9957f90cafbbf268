using System.Net;
using System.Net.Sockets;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client.Tests.Integration;

/// <summary>
/// How the channel holder tells, without a round trip, that a connection's peer is gone (over real sockets on 127.0.0.1):
/// the freeze/thaw case, where the peer's FIN or RST already waits in the socket when a call starts.
/// </summary>
public sealed class ConnectionSetTests
{
    [Fact]
    public async Task AnyClosedByPeer_OpenConnection_FalseEvenWithUnreadData()
    {
        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        {
            var set = new ConnectionSet();
            set.Add(client);
            Assert.False(set.AnyClosedByPeer());

            // Data the read loop has not taken yet (a frame) is no sign of a dead peer.
            server.Send([1, 2, 3]);
            await WaitReadableAsync(client);
            Assert.False(set.AnyClosedByPeer());
        }
    }

    [Theory]
    [InlineData(false)] // FIN: the peer closed
    [InlineData(true)] // RST: the peer reset the connection
    public async Task AnyClosedByPeer_PeerClosedOrReset_True(bool reset)
    {
        var (client, server) = await ConnectedPairAsync();
        using (client)
        {
            var set = new ConnectionSet();
            set.Add(client);
            if (reset)
            {
                server.LingerState = new LingerOption(enable: true, seconds: 0);
            }

            server.Dispose();
            await WaitReadableAsync(client);

            Assert.True(set.AnyClosedByPeer());
        }
    }

    [Fact]
    public async Task AnyClosedByPeer_SocketDisposedByItsOwner_Forgotten()
    {
        var (client, server) = await ConnectedPairAsync();
        using (server)
        {
            var set = new ConnectionSet();
            set.Add(client);
            client.Dispose();

            Assert.False(set.AnyClosedByPeer());
        }
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).DefaultTimeout();
        var server = await listener.AcceptAsync().DefaultTimeout();
        return (client, server);
    }

    private static async Task WaitReadableAsync(Socket socket)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (!socket.Poll(0, SelectMode.SelectRead))
        {
            Assert.True(DateTime.UtcNow < deadline, "The socket never became readable.");
            await Task.Delay(5);
        }
    }
}
