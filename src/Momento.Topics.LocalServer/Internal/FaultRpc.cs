namespace Momento.Topics.LocalServer.Internal;

/// <summary>The RPCs fault-injection headers can name, as the official emulator spells them.</summary>
[Flags]
internal enum FaultRpc
{
    None = 0,
    TopicPublish = 1,
    TopicSubscribe = 2,
    Ping = 4,
    Get = 8,
    Set = 16,
    SetIf = 32,
    Delete = 64,
    All = TopicPublish | TopicSubscribe | Ping | Get | Set | SetIf | Delete,
}

internal static class FaultRpcNames
{
    public static FaultRpc FromMethod(string method) => method switch
    {
        "/cache_client.pubsub.Pubsub/Publish" => FaultRpc.TopicPublish,
        "/cache_client.pubsub.Pubsub/Subscribe" => FaultRpc.TopicSubscribe,
        "/cache_client.Ping/Ping" => FaultRpc.Ping,
        "/cache_client.Scs/Get" => FaultRpc.Get,
        "/cache_client.Scs/Set" => FaultRpc.Set,
        "/cache_client.Scs/SetIf" or "/cache_client.Scs/SetIfNotExists" => FaultRpc.SetIf,
        "/cache_client.Scs/Delete" => FaultRpc.Delete,
        _ => FaultRpc.None,
    };

    public static FaultRpc? FromName(string name) => name switch
    {
        "topic-publish" => FaultRpc.TopicPublish,
        "topic-subscribe" => FaultRpc.TopicSubscribe,
        "ping" => FaultRpc.Ping,
        "get" => FaultRpc.Get,
        "set" => FaultRpc.Set,
        "set-if" => FaultRpc.SetIf,
        "delete" => FaultRpc.Delete,
        _ => null,
    };
}
