using Grpc.Net.Client;
using PubsubClient = Momento.Protos.CacheClient.Pubsub.Pubsub.PubsubClient;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// The gRPC channel of subscriptions, built on the client's own HTTP handler (so both share its connections) when the
/// first subscription opens. Only this path uses Grpc.Net.Client, so a client that only publishes does not link it.
/// </summary>
internal sealed class SubscriptionChannel : IDisposable
{
    private readonly GrpcChannel _channel;

    private SubscriptionChannel(GrpcChannel channel)
    {
        _channel = channel;
        Pubsub = new PubsubClient(channel);
    }

    public PubsubClient Pubsub { get; }

    /// <summary>A factory for <see cref="ChannelHolder.Entry.GetOrAttach{T}"/>; TLS or not follows the endpoint's scheme.</summary>
    public static Func<HttpMessageHandler, SubscriptionChannel> For(Uri endpoint) =>
        handler => new SubscriptionChannel(GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            // The handler is the holder's, shared with the unary calls, and disposed by it.
            DisposeHttpClient = false,
        }));

    public void Dispose() => _channel.Dispose();
}
