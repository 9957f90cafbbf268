using Google.Protobuf;
using Grpc.Core;
using Momento.Protos.CacheClient;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.CachePing;
using Momento.Protos.Common;

namespace Momento.Topics.LocalServer.Internal;

/// <summary>
/// Binds the services (in place of the generated <c>BindService</c>) with request marshallers that answer a message
/// they cannot parse with INTERNAL, gRPC's status for a request proto the server cannot parse. The generated ones let
/// the parser's exception escape, which gRPC answers as UNKNOWN from the handler and logs as a server error.
/// </summary>
internal static class StrictBinding
{
    /// <summary>The bind method of <see cref="PubsubService"/>. gRPC finds the handlers on the service by name, as overrides of the
    /// generated base (so the parameter has the base type, like the generated bind method).</summary>
    public static void BindPubsub(ServiceBinderBase binder, Pubsub.PubsubBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        var name = Pubsub.Descriptor.FullName;
        binder.AddMethod(
            new Method<_PublishRequest, _Empty>(MethodType.Unary, name, "Publish", Request(_PublishRequest.Parser), Response<_Empty>()),
            service is null ? null : service.Publish);
        binder.AddMethod(
            new Method<_SubscriptionRequest, _SubscriptionItem>(MethodType.ServerStreaming, name, "Subscribe", Request(_SubscriptionRequest.Parser), Response<_SubscriptionItem>()),
            service is null ? null : service.Subscribe);
    }

    /// <summary>The bind method of <see cref="PingService"/>.</summary>
    public static void BindPing(ServiceBinderBase binder, Momento.Protos.CachePing.Ping.PingBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(
            new Method<_PingRequest, _PingResponse>(MethodType.Unary, Momento.Protos.CachePing.Ping.Descriptor.FullName, "Ping", Request(_PingRequest.Parser), Response<_PingResponse>()),
            service is null ? null : service.Ping);
    }

    /// <summary>The bind method of <see cref="CacheService"/>.</summary>
    public static void BindScs(ServiceBinderBase binder, Scs.ScsBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        var name = Scs.Descriptor.FullName;
        binder.AddMethod(
            new Method<_GetRequest, _GetResponse>(MethodType.Unary, name, "Get", Request(_GetRequest.Parser), Response<_GetResponse>()),
            service is null ? null : service.Get);
        binder.AddMethod(
            new Method<_SetRequest, _SetResponse>(MethodType.Unary, name, "Set", Request(_SetRequest.Parser), Response<_SetResponse>()),
            service is null ? null : service.Set);
        binder.AddMethod(
            new Method<_SetIfRequest, _SetIfResponse>(MethodType.Unary, name, "SetIf", Request(_SetIfRequest.Parser), Response<_SetIfResponse>()),
            service is null ? null : service.SetIf);
        binder.AddMethod(
            new Method<_SetIfNotExistsRequest, _SetIfNotExistsResponse>(MethodType.Unary, name, "SetIfNotExists", Request(_SetIfNotExistsRequest.Parser), Response<_SetIfNotExistsResponse>()),
            service is null ? null : service.SetIfNotExists);
        binder.AddMethod(
            new Method<_DeleteRequest, _DeleteResponse>(MethodType.Unary, name, "Delete", Request(_DeleteRequest.Parser), Response<_DeleteResponse>()),
            service is null ? null : service.Delete);
    }

    private static Marshaller<T> Request<T>(MessageParser<T> parser)
        where T : IMessage<T> => new(
        Write,
        context =>
        {
            try
            {
                return parser.ParseFrom(context.PayloadAsReadOnlySequence());
            }
            catch (InvalidProtocolBufferException)
            {
                // The parser's text may quote the payload; the type is what the client needs to know.
                throw new RpcException(new Status(StatusCode.Internal, $"The request message is not a valid {typeof(T).Name} (protobuf)."));
            }
        });

    private static Marshaller<T> Response<T>()
        where T : IMessage<T>, new() => new(Write, _ => throw new NotSupportedException("The server never reads its own responses."));

    private static void Write<T>(T message, SerializationContext context)
        where T : IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
