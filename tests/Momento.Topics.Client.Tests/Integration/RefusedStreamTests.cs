using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;

namespace Momento.Topics.Client.Tests.Integration;

/// <summary>
/// RST_STREAM with REFUSED_STREAM means "no processing occurred" (RFC 9113 §8.7, and the gRPC spec's mapping). A
/// minimal HTTP/2 server on 127.0.0.1 refuses every stream.
/// </summary>
public sealed class RefusedStreamTests
{
    [Fact]
    public async Task PublishAsync_EveryStreamRefused_UnavailableNotExecutedAfterTheHandlersOwnRetries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var refused = 0;
        var server = RefuseStreamsAsync(listener, () => Interlocked.Increment(ref refused), stop.Token);
        using var client = TopicClient.Create(CredentialProvider.ForLocal($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));

        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((StatusCode.Unavailable, false), (error.GrpcStatus, error.MayHaveExecuted));
        // SocketsHttpHandler itself retries a stream refused before its answer (3 times on .NET 10: 8 streams were
        // refused, 4 for each of the publish's own two attempts), so more streams were refused than those two.
        Assert.True(Volatile.Read(ref refused) > 2, $"{refused} streams refused");
        await stop.CancelAsync();
        await server;
    }

    /// <summary>Speaks just enough HTTP/2 on one connection: SETTINGS, SETTINGS ACK, and a REFUSED_STREAM reset for every HEADERS.</summary>
    private static async Task RefuseStreamsAsync(TcpListener listener, Action onRefused, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await listener.AcceptSocketAsync(cancellationToken);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.ReadExactlyAsync(new byte[24], cancellationToken); // the client preface
            await WriteFrameAsync(stream, type: 0x4, flags: 0, streamId: 0, [], cancellationToken);
            var header = new byte[9];
            while (true)
            {
                await stream.ReadExactlyAsync(header, cancellationToken);
                var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
                await stream.ReadExactlyAsync(payload, cancellationToken);
                var streamId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
                if (header[3] == 0x4 && (header[4] & 0x1) == 0)
                {
                    await WriteFrameAsync(stream, type: 0x4, flags: 0x1, streamId: 0, [], cancellationToken);
                }
                else if (header[3] == 0x1)
                {
                    onRefused();
                    await WriteFrameAsync(stream, type: 0x3, flags: 0, streamId, [0, 0, 0, 0x7], cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or EndOfStreamException)
        {
        }
    }

    private static async Task WriteFrameAsync(NetworkStream stream, byte type, byte flags, int streamId, byte[] payload, CancellationToken cancellationToken)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await stream.WriteAsync(frame, cancellationToken);
    }
}
