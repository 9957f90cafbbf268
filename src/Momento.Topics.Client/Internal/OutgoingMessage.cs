using Google.Protobuf;
using Grpc.Core;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// A unary call's request message, which records whether grpc-dotnet ever serialized it. grpc-dotnet serializes a unary
/// request only when SocketsHttpHandler asks for the request body, which it does once the call's HTTP/2 stream is open
/// on a connection, after its HEADERS. A call that failed before that (connecting, the TLS handshake, the deadline or the
/// caller while waiting for a connection) certainly did not reach the service, which only ever acts on the whole message.
/// </summary>
internal sealed class OutgoingMessage(IBufferMessage message)
{
    private readonly IBufferMessage _message = message;
    private int _serialized;

    /// <summary>The marshaller of a method's requests; it never reads one (a client only writes requests).</summary>
    public static Marshaller<OutgoingMessage> Marshaller { get; } = Marshallers.Create<OutgoingMessage>(
        Serialize,
        static _ => throw new NotSupportedException("A client does not read requests."));

    /// <summary>Whether the message was handed over to be written (it may then have been sent).</summary>
    public bool Serialized => Volatile.Read(ref _serialized) != 0;

    // As the generated code writes a buffer message: its size first, then straight into gRPC's buffer.
    private static void Serialize(OutgoingMessage outgoing, SerializationContext context)
    {
        Volatile.Write(ref outgoing._serialized, 1);
        context.SetPayloadLength(outgoing._message.CalculateSize());
        outgoing._message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
