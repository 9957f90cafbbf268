using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

/// <summary>
/// Request messages no SDK sends, written as raw gRPC frames over real HTTP/2: a message that is not the protobuf
/// its RPC takes, or a compressed one that does not decompress, is INTERNAL (gRPC's status for a request it cannot
/// parse or decompress), answered with a message and no error in the server's log, never UNKNOWN from a handler.
/// </summary>
public sealed class WireInputTests
{
    private const string Publish = "/cache_client.pubsub.Pubsub/Publish";
    private const string Subscribe = "/cache_client.pubsub.Pubsub/Subscribe";
    private const string Ping = "/cache_client.Ping/Ping";

    public static readonly TheoryData<string, string, byte[]> Unparseable = new()
    {
        // Field 1 (cache_name) says 5 bytes follow; one does.
        { "truncated field", Publish, [0x0a, 0x05, 0x61] },
        { "truncated field", Subscribe, [0x0a, 0x05, 0x61] },
        { "truncated field", Ping, [0x0a, 0x05, 0x61] },
        // topic (field 2) holds 0xFF: proto3 strings must be UTF-8.
        { "string not UTF-8", Publish, [0x0a, 0x01, 0x63, 0x12, 0x01, 0xff] },
        { "string not UTF-8", Subscribe, [0x0a, 0x01, 0x63, 0x12, 0x01, 0xff] },
        // Wire type 7 does not exist.
        { "invalid wire type", Publish, [0x0f] },
    };

    [Theory]
    [MemberData(nameof(Unparseable))]
    public async Task AnyRpc_MessageIsNotValidProtobuf_InternalWithoutAnErrorLogged(string what, string path, byte[] message)
    {
        await using var harness = await Harness.StartAsync();

        var (status, detail) = await SendAsync(harness, path, Frame(compressed: false, message), encoding: null);

        Assert.True(status == StatusCode.Internal, $"{what}: {status} {detail}");
        Assert.Contains("protobuf", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_GzipDeclaredButTheMessageIsNotGzip_InternalWithoutAnErrorLogged()
    {
        await using var harness = await Harness.StartAsync();

        var (status, detail) = await SendAsync(harness, Publish, Frame(compressed: true, [0x0a, 0x01, 0x63, 0x12, 0x01, 0x74]), encoding: "gzip");

        Assert.Equal(StatusCode.Internal, status);
        Assert.Contains("gzip", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x80000000u)]
    public async Task Publish_LengthPrefixBeyondTwoGigabytes_ResourceExhaustedLikeAnyOversizedMessage(uint declared)
    {
        await using var harness = await Harness.StartAsync();
        var frame = Frame(compressed: false, [0x0a, 0x01, 0x63]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declared);

        var (status, detail) = await SendAsync(harness, Publish, frame, encoding: null);

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.StartsWith("Request message exceeds the limit of", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    public async Task AnyRpc_CompressedFlagNeitherZeroNorOne_InternalWithoutAnErrorLogged(byte flag)
    {
        await using var harness = await Harness.StartAsync();
        var frame = Frame(compressed: false, [0x0a, 0x01, 0x63]);
        frame[0] = flag;

        var publish = await SendAsync(harness, Publish, frame, encoding: null);
        var subscribe = await SendAsync(harness, Subscribe, frame, encoding: null);

        Assert.Equal(StatusCode.Internal, publish.Status);
        Assert.Equal(StatusCode.Internal, subscribe.Status);
        Assert.Contains("compressed flag", publish.Detail, StringComparison.Ordinal);
    }

    private static byte[] Frame(bool compressed, byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<(StatusCode Status, string Detail)> SendAsync(Harness harness, string path, byte[] frame, string? encoding)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Server.Endpoint, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        using var response = await http.SendAsync(request).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // A refusal before any message is trailers-only: the status is in the headers.
        var source = response.Headers.Contains("grpc-status") ? response.Headers : response.TrailingHeaders;
        var status = (StatusCode)int.Parse(source.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var detail = source.TryGetValues("grpc-message", out var message) ? Uri.UnescapeDataString(message.Single()) : string.Empty;
        return (status, detail);
    }
}
