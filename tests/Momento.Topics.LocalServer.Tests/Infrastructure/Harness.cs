using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.CachePing;

namespace Momento.Topics.LocalServer.Tests.Infrastructure;

/// <summary>A server on 127.0.0.1:0 plus a channel and raw stubs talking to it.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public const string Cache = "default-cache";

    public static readonly TimeSpan FastHeartbeat = TimeSpan.FromMilliseconds(50);

    private readonly List<GrpcChannel> _channels = [];

    private Harness(LocalTopicsServer server)
    {
        Server = server;
        Channel = NewChannel();
        Pubsub = new Pubsub.PubsubClient(Channel);
        Ping = new Ping.PingClient(Channel);
    }

    public LocalTopicsServer Server { get; }

    /// <summary>The server's log; an Error entry the test did not declare expected fails it at dispose.</summary>
    public ServerLog Log { get; private init; } = new();

    public GrpcChannel Channel { get; }

    public Pubsub.PubsubClient Pubsub { get; }

    public Ping.PingClient Ping { get; }

    public static async Task<Harness> StartAsync(LocalTopicsServerOptions? options = null)
    {
        var log = new ServerLog();
        options = (options ?? new LocalTopicsServerOptions { HeartbeatInterval = FastHeartbeat }) with { Host = "127.0.0.1", Port = 0, LoggerProvider = log };
        var server = await LocalTopicsServer.StartAsync(options).DefaultTimeout();
        return new Harness(server) { Log = log };
    }

    /// <summary>A separate channel, hence a separate TCP connection.</summary>
    public GrpcChannel NewChannel()
    {
        var channel = GrpcChannel.ForAddress(Server.Endpoint);
        _channels.Add(channel);
        return channel;
    }

    public Pubsub.PubsubClient NewClient() => new(NewChannel());

    public Task PublishTextAsync(string topic, string text, Metadata? headers = null, string cache = Cache) =>
        PublishAsync(topic, new _TopicValue { Text = text }, headers, cache);

    public async Task PublishAsync(string topic, _TopicValue value, Metadata? headers = null, string cache = Cache, Pubsub.PubsubClient? client = null)
    {
        var request = new _PublishRequest { CacheName = cache, Topic = topic, Value = value };
        await (client ?? Pubsub).PublishAsync(request, headers).ResponseAsync.DefaultTimeout();
    }

    /// <summary>Publishes the texts m<paramref name="from"/> to m<paramref name="to"/> and returns the topic's sequence page.</summary>
    public async Task<ulong> PublishNumberedAsync(string topic, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            await PublishTextAsync(topic, "m" + i);
        }
        // Learn the page: a resume on page 0, which no topic has, is answered by a discontinuity naming it.
        using var probe = Subscribe(topic, resumeAt: (ulong)to, page: 0);
        await probe.NextAsync();
        var discontinuity = await probe.NextDiscontinuityAsync();
        return discontinuity.NewSequencePage;
    }

    public Subscription Subscribe(
        string topic,
        ulong resumeAt = 0,
        ulong page = 0,
        Metadata? headers = null,
        string cache = Cache,
        Pubsub.PubsubClient? client = null)
    {
        var request = new _SubscriptionRequest
        {
            CacheName = cache,
            Topic = topic,
            ResumeAtTopicSequenceNumber = resumeAt,
            SequencePage = page,
        };
        return new Subscription((client ?? Pubsub).Subscribe(request, headers));
    }

    /// <summary>Subscribes and waits for the first heartbeat, after which the subscription is live.</summary>
    public async Task<Subscription> SubscribeLiveAsync(string topic, ulong resumeAt = 0, ulong page = 0, Metadata? headers = null, string cache = Cache, Pubsub.PubsubClient? client = null)
    {
        var subscription = Subscribe(topic, resumeAt, page, headers, cache, client);
        var first = await subscription.NextAsync();
        Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, first.KindCase);
        return subscription;
    }

    public static _TopicValue Binary(params byte[] bytes) => new() { Binary = ByteString.CopyFrom(bytes) };

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await Server.DisposeAsync();
        Log.AssertNoUnexpectedErrors();
    }
}
