using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

/// <summary>Unary calls over TLS: HTTP/2 only by ALPN, and a failed handshake counts as never sent.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task PublishAsync_TlsHandshakeFails_OffersOnlyH2AndIsConnectionErrorNotExecuted()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hellos = Channel.CreateUnbounded<byte[]>();
        using var stop = new CancellationTokenSource();
        var server = RefuseHandshakesAsync(listener, hellos.Writer, stop.Token);
        // A TLS endpoint whose connections are routed to the listener above, which reads the ClientHello and hangs up.
        var credentials = CredentialProvider.FromApiKey(TestKeys.V1("key", "cell.example.invalid"));
        using var client = TopicClient.Create(credentials, new TopicClientOptions
        {
            HttpHandlerFactory = () => new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });

        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.ConnectionError, false), (error.Code, error.MayHaveExecuted));
        var hello = await hellos.Reader.ReadAsync().AsTask().DefaultTimeout();
        Assert.Equal(0x16, hello[0]); // a TLS handshake record
        Assert.True(Contains(hello, [0x02, (byte)'h', (byte)'2']), "The ClientHello does not offer h2 by ALPN.");
        Assert.False(Contains(hello, Encoding.ASCII.GetBytes("http/1.1")), "The ClientHello offers HTTP/1.1.");
        await stop.CancelAsync();
        await server;
    }

    private static async Task RefuseHandshakesAsync(TcpListener listener, ChannelWriter<byte[]> hellos, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptSocketAsync(cancellationToken);
                var buffer = new byte[4096];
                var read = await connection.ReceiveAsync(buffer, cancellationToken);
                hellos.TryWrite(buffer[..read]);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
