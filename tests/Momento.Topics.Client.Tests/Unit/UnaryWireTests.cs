using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>The unary calls' hand-written wire format against the generated protobuf code and the gRPC request rules.</summary>
public sealed class UnaryWireTests
{
    [Theory]
    [InlineData("cache", "topic", "value")]
    [InlineData("c", "t", "")]
    [InlineData("caché-ü", "tópico/😀", "ünïcode 😀 value")]
    public void PublishRequest_Text_SameBytesAsGeneratedCode(string cache, string topic, string text)
    {
        var expected = new _PublishRequest { CacheName = cache, Topic = topic, Value = new _TopicValue { Text = text } }.ToByteArray();

        var framed = PubsubWire.PublishRequest(cache, topic, text, default);

        Assert.Equal(Frame(expected), framed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(20_000)]
    public void PublishRequest_Binary_SameBytesAsGeneratedCode(int length)
    {
        var value = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var expected = new _PublishRequest { CacheName = "cache", Topic = new string('t', 200), Value = new _TopicValue { Binary = ByteString.CopyFrom(value) } }.ToByteArray();

        var framed = PubsubWire.PublishRequest("cache", new string('t', 200), text: null, value);

        Assert.Equal(Frame(expected), framed);
    }

    [Theory]
    [InlineData(new byte[0], true)]
    [InlineData(new byte[] { 0x08, 0x96, 0x01 }, true)] // varint field 1
    [InlineData(new byte[] { 0x12, 0x02, 0x61, 0x62, 0x1D, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8 }, true)] // bytes, fixed32, fixed64
    [InlineData(new byte[] { 0x0B, 0x08, 0x01, 0x0C }, true)] // a group
    [InlineData(new byte[] { 0x12, 0x05, 0x61 }, false)] // length past the end
    [InlineData(new byte[] { 0x08, 0x96 }, false)] // unterminated varint
    [InlineData(new byte[] { 0x00, 0x01 }, false)] // field number 0
    [InlineData(new byte[] { 0x0E }, false)] // wire type 6
    [InlineData(new byte[] { 0x0B, 0x14 }, false)] // group ended by another field number
    public void IsWellFormed_AgreesWithGeneratedParser(byte[] message, bool expected)
    {
        var parses = true;
        try
        {
            Momento.Protos.Common._Empty.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException)
        {
            parses = false;
        }

        Assert.Equal((expected, expected), (PubsubWire.IsWellFormed(message), parses));
    }

    [Theory]
    [InlineData(0.2, "1m")]
    [InlineData(1, "1m")]
    [InlineData(5000, "5000m")]
    [InlineData(99_999_999, "99999999m")]
    [InlineData(100_000_000, "100000S")]
    [InlineData(2_073_600_000, "2073600S")]
    public void EncodeTimeout_MillisecondsRoundedUpWithinEightDigits(double milliseconds, string expected) =>
        Assert.Equal(expected, UnaryCall.EncodeTimeout(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public async Task PublishAsync_Request_IsHttp2GrpcPostWithHeadersAndTimeout()
    {
        var handler = new CapturingHandler();
        using var client = TopicClient.Create(
            CredentialProvider.ForLocal("127.0.0.1:1", "token"),
            new TopicClientOptions { ExtraHeaders = new() { { "extra", "x" }, { "blob-bin", new byte[] { 1, 2, 3 } } }, HttpHandlerFactory = () => handler });

        var response = await client.PublishAsync("cache", "topic", "value", TimeSpan.FromSeconds(3)).DefaultTimeout();

        Assert.IsType<TopicPublishResponse.Success>(response);
        var request = handler.Request!;
        Assert.Equal((HttpMethod.Post, "http://127.0.0.1:1/cache_client.pubsub.Pubsub/Publish"), (request.Method, request.RequestUri!.ToString()));
        Assert.Equal((HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact), (request.Version, request.VersionPolicy));
        Assert.Equal("application/grpc", handler.ContentType);
        Assert.Equal(
            ("trailers", "token", "cache", "x", "AQID", "identity"),
            (Header(request, "te"), Header(request, "authorization"), Header(request, "cache"), Header(request, "extra"), Header(request, "blob-bin"), Header(request, "grpc-accept-encoding")));
        var timeout = Header(request, "grpc-timeout");
        Assert.EndsWith("m", timeout, StringComparison.Ordinal);
        Assert.InRange(long.Parse(timeout[..^1], System.Globalization.CultureInfo.InvariantCulture), 1, 3000);
        Assert.Equal(PubsubWire.PublishRequest("cache", "topic", "value", default), handler.Body);
    }

    [Fact]
    public async Task ConnectAsync_Request_IsAnEmptyPingMessage()
    {
        var handler = new CapturingHandler();
        using var client = TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), new TopicClientOptions { HttpHandlerFactory = () => handler });

        Assert.IsType<TopicConnectResponse.Success>(await client.ConnectAsync().DefaultTimeout());

        Assert.Equal("/cache_client.Ping/Ping", handler.Request!.RequestUri!.AbsolutePath);
        Assert.Equal(new byte[5], handler.Body);
        Assert.False(handler.Request.Headers.Contains("cache"));
    }

    [Theory]
    [InlineData(" cache")]
    [InlineData("cache ")]
    public async Task PublishAsync_CacheNameWithEdgeWhitespace_SentInTheBodyOnly(string cacheName)
    {
        var handler = new CapturingHandler();
        using var client = TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), new TopicClientOptions { HttpHandlerFactory = () => handler });

        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(cacheName, "topic", "value").DefaultTimeout());

        // HTTP/2 makes such a field value malformed and gRPC lets a receiver strip it, which would name another cache.
        Assert.False(handler.Request!.Headers.NonValidated.Contains("cache"));
        Assert.Equal(PubsubWire.PublishRequest(cacheName, "topic", "value", default), handler.Body);
    }

    private static string Header(HttpRequestMessage request, string name) => string.Join(",", request.Headers.GetValues(name));

    private static byte[] Frame(byte[] message) => [0, .. BitConverter.GetBytes((uint)message.Length).Reverse(), .. message];

    /// <summary>Records the request and answers an empty OK message.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? ContentType { get; private set; }

        public byte[]? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            ContentType = request.Content!.Headers.ContentType?.ToString();
            Body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, Content = new ByteArrayContent(new byte[5]) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            response.TrailingHeaders.Add("grpc-status", "0");
            return response;
        }
    }
}
