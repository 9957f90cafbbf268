using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>What Ping and Publish put on the wire: gRPC requests of the protos' methods, with the generated messages.</summary>
public sealed class UnaryRequestTests
{
    [Fact]
    public void Methods_AreTheProtosOwn()
    {
        var publish = Pubsub.Descriptor.FindMethodByName("Publish");
        var ping = Momento.Protos.CachePing.Ping.Descriptor.FindMethodByName("Ping");

        Assert.Equal(("/" + publish.Service.FullName + "/" + publish.Name, "/" + ping.Service.FullName + "/" + ping.Name), (UnaryCalls.Publish.FullName, UnaryCalls.Ping.FullName));
        Assert.Equal((MethodType.Unary, MethodType.Unary), (UnaryCalls.Publish.Type, UnaryCalls.Ping.Type));
    }

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
            ("trailers", "token", "cache", "x", "AQID"),
            (Header(request, "te"), Header(request, "authorization"), Header(request, "cache"), Header(request, "extra"), Header(request, "blob-bin")));
        // Identity only (grpc-dotnet writes an empty list element after it when no compression is offered).
        Assert.Equal(["identity"], Header(request, "grpc-accept-encoding").Split(',', StringSplitOptions.RemoveEmptyEntries));
        // The deadline travels as grpc-timeout: at most 8 digits and a unit.
        var timeout = Header(request, "grpc-timeout");
        var amount = long.Parse(timeout[..^1], System.Globalization.CultureInfo.InvariantCulture);
        var unit = timeout[^1] switch { 'H' => TimeSpan.FromHours(1), 'M' => TimeSpan.FromMinutes(1), 'S' => TimeSpan.FromSeconds(1), 'm' => TimeSpan.FromMilliseconds(1), 'u' => TimeSpan.FromMicroseconds(1), 'n' => TimeSpan.FromTicks(1) / 100, _ => TimeSpan.Zero };
        Assert.InRange(amount * unit, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(3));
        Assert.Equal(new _PublishRequest { CacheName = "cache", Topic = "topic", Value = new _TopicValue { Text = "value" } }, Message(handler.Body!, _PublishRequest.Parser));
    }

    [Fact]
    public async Task PublishAsync_BinaryValue_SentAsTheBinaryMember()
    {
        var handler = new CapturingHandler();
        using var client = TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), new TopicClientOptions { HttpHandlerFactory = () => handler });
        byte[] value = [0, 1, 2, 0xFF];

        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync("cache", "topic", value).DefaultTimeout());

        var sent = Message(handler.Body!, _PublishRequest.Parser);
        Assert.Equal(_TopicValue.KindOneofCase.Binary, sent.Value.KindCase);
        Assert.Equal(value, sent.Value.Binary.ToByteArray());
    }

    [Fact]
    public async Task ConnectAsync_Request_IsAnEmptyPingMessage()
    {
        var handler = new CapturingHandler();
        using var client = TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), new TopicClientOptions { HttpHandlerFactory = () => handler });

        Assert.IsType<TopicConnectResponse.Success>(await client.ConnectAsync().DefaultTimeout());

        Assert.Equal("/cache_client.Ping/Ping", handler.Request!.RequestUri!.AbsolutePath);
        Assert.Equal(new byte[5], handler.Body); // an uncompressed, empty _PingRequest
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
        Assert.Equal(cacheName, Message(handler.Body!, _PublishRequest.Parser).CacheName);
    }

    private static string Header(HttpRequestMessage request, string name) => string.Join(",", request.Headers.GetValues(name));

    /// <summary>The one message of a gRPC request body: uncompressed, its length prefix right.</summary>
    private static T Message<T>(byte[] body, Google.Protobuf.MessageParser<T> parser)
        where T : Google.Protobuf.IMessage<T>
    {
        Assert.Equal(0, body[0]);
        Assert.Equal(body.Length - 5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)));
        return parser.ParseFrom(body.AsSpan(5));
    }

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
