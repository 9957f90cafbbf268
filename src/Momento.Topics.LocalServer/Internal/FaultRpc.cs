namespace Momento.Topics.LocalServer.Internal;

/// <summary>The RPCs fault-injection headers can name, as the official emulator spells them.</summary>
[Flags]
internal enum FaultRpc
{
    None = 0,
    TopicPublish = 1,
    TopicSubscribe = 2,
    Ping = 4,
    All = TopicPublish | TopicSubscribe | Ping,
}

internal static class FaultRpcNames
{
    public static FaultRpc FromMethod(string method) => method switch
    {
        "/cache_client.pubsub.Pubsub/Publish" => FaultRpc.TopicPublish,
        "/cache_client.pubsub.Pubsub/Subscribe" => FaultRpc.TopicSubscribe,
        "/cache_client.Ping/Ping" => FaultRpc.Ping,
        _ => FaultRpc.None,
    };

    public static FaultRpc? FromName(string name) => name switch
    {
        "topic-publish" => FaultRpc.TopicPublish,
        "topic-subscribe" => FaultRpc.TopicSubscribe,
        "ping" => FaultRpc.Ping,
        _ => null,
    };
}
