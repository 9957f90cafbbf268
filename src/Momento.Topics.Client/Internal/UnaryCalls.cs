using Google.Protobuf;
using Grpc.Core;
using Momento.Protos.CacheClient;
using Momento.Protos.Common;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// Ping, Publish and the cache calls as grpc-dotnet unary calls on the client's channel: the protos' methods (a test holds the names to
/// the generated descriptors) with the generated messages, and a request marshaller that notes when the request is
/// serialized (<see cref="OutgoingMessage"/>), so that a failure can be told apart as "certainly not sent".
/// </summary>
internal static class UnaryCalls
{
    public static readonly Method<OutgoingMessage, _Empty> Publish = new(
        MethodType.Unary, "cache_client.pubsub.Pubsub", "Publish", OutgoingMessage.Marshaller, ResponseMarshaller(_Empty.Parser));

    /// <summary>
    /// Ping, typed as Publish's pair: its response (<c>_PingResponse</c>) is empty, as <c>_Empty</c> is, and message names
    /// are never on the wire, so the server sees an ordinary ping. Sharing the types makes the Native AOT runtime build
    /// grpc-dotnet's generic call path once, when init pings, and not again for the first publish (measured: 3-10 ms of
    /// the first publish on a loaded 2-core machine, against under 1 ms for a warm publish).
    /// </summary>
    public static readonly Method<OutgoingMessage, _Empty> Ping = new(
        MethodType.Unary, "cache_client.Ping", "Ping", OutgoingMessage.Marshaller, Publish.ResponseMarshaller);

    /// <summary>The cache calls of <c>cache_client.Scs</c> that idempotency records need; the cache is named in the <c>cache</c> header.</summary>
    public static readonly Method<OutgoingMessage, _GetResponse> Get = Cache("Get", _GetResponse.Parser);

    /// <inheritdoc cref="Get"/>
    public static readonly Method<OutgoingMessage, _SetResponse> Set = Cache("Set", _SetResponse.Parser);

    /// <inheritdoc cref="Get"/>
    public static readonly Method<OutgoingMessage, _SetIfResponse> SetIf = Cache("SetIf", _SetIfResponse.Parser);

    /// <inheritdoc cref="Get"/>
    public static readonly Method<OutgoingMessage, _DeleteResponse> Delete = Cache("Delete", _DeleteResponse.Parser);

    /// <summary>Makes the call and awaits its answer.</summary>
    /// <exception cref="RpcException">
    /// The call failed, as grpc-dotnet reports it, except that a call that certainly did not reach the service carries a
    /// <see cref="RequestNotSentException"/> as <see cref="Status.DebugException"/>, and a refusal status that only the
    /// client derived (its receive limit, an encoding it cannot read) is INTERNAL: the request was sent, the answer unreadable.
    /// </exception>
    public static async Task<TResponse> InvokeAsync<TResponse>(CallInvoker invoker, Method<OutgoingMessage, TResponse> method, IBufferMessage message, CallOptions options)
        where TResponse : class
    {
        var request = new OutgoingMessage(message);
        using var call = invoker.AsyncUnaryCall(method, host: null, options, request);
        try
        {
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Explain(e, request.Serialized, call);
        }
    }

    private static RpcException Explain<TResponse>(RpcException exception, bool serialized, AsyncUnaryCall<TResponse> call)
    {
        var status = exception.Status;
        var answered = call.ResponseHeadersAsync.IsCompletedSuccessfully;

        // Never handed to a connection, or refused by the server before it answered (RST_STREAM REFUSED_STREAM: "no
        // processing occurred", RFC 9113 §8.7), which reaches here once SocketsHttpHandler's own retries of it are spent.
        if (!serialized || (!answered && IsRefusedStream(status.DebugException)))
        {
            return new RpcException(new Status(status.StatusCode, status.Detail, new RequestNotSentException(status.DebugException)), exception.Trailers);
        }

        if (ErrorMapper.CertainlyRejected(status.StatusCode) && status.DebugException is null && !EndedByServer(call))
        {
            return new RpcException(new Status(StatusCode.Internal, status.Detail), exception.Trailers);
        }

        return exception;
    }

    /// <summary>Whether the call's status came from the server: grpc-dotnet has its trailers only when the response ended.</summary>
    private static bool EndedByServer<TResponse>(AsyncUnaryCall<TResponse> call)
    {
        try
        {
            call.GetTrailers();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsRefusedStream(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException { ErrorCode: 0x7 })
            {
                return true;
            }
        }

        return false;
    }

    private static Method<OutgoingMessage, T> Cache<T>(string name, MessageParser<T> parser)
        where T : class, IMessage<T> =>
        new(MethodType.Unary, "cache_client.Scs", name, OutgoingMessage.Marshaller, ResponseMarshaller(parser));

    private static Marshaller<T> ResponseMarshaller<T>(MessageParser<T> parser)
        where T : IMessage<T> =>
        Marshallers.Create<T>(
            static (_, _) => throw new NotSupportedException("A client does not write responses."),
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
