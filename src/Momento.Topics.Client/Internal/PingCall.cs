using Google.Protobuf;
using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.Common;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// <c>cache_client.Ping/Ping</c>, typed as the publish call's message pair. Ping's request and response are empty
/// messages, and an empty <c>_PublishRequest</c> and <c>_Empty</c> are the same zero bytes on the wire (message names
/// never are), so the server sees an ordinary ping. Sharing the publish call's types means the Native AOT runtime
/// builds the generic call path once, when init pings, instead of once more for the first publish (measured: the
/// type loader's work on a call's first use is the largest part of that invocation).
/// </summary>
internal static class PingCall
{
    private static readonly Method<_PublishRequest, _Empty> Method = new(
        MethodType.Unary,
        "cache_client.Ping",
        "Ping",
        Marshallers.Create(static (_PublishRequest request) => request.ToByteArray(), _PublishRequest.Parser.ParseFrom),
        Marshallers.Create(static (_Empty response) => response.ToByteArray(), _Empty.Parser.ParseFrom));

    private static readonly _PublishRequest Empty = new();

    public static AsyncUnaryCall<_Empty> Start(CallInvoker invoker, CallOptions options) => invoker.AsyncUnaryCall(Method, null, options, Empty);
}
