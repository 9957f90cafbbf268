using System.Net;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// A unary call's framed request message, which records whether it was ever handed over to be written. The HTTP/2
/// handler writes it only once the call's stream is open on a connection, after its HEADERS; until then nothing of
/// the message can have reached the server, so the call certainly was not applied.
/// </summary>
internal sealed class UnaryContent : HttpContent
{
    private readonly byte[] _message;
    private int _started;

    public UnaryContent(byte[] message)
    {
        _message = message;
        Headers.TryAddWithoutValidation("content-type", GrpcResponse.ContentType);
    }

    /// <summary>Whether the message was handed over to be written (it may then have been sent).</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _started, 1);
        return stream.WriteAsync(_message, cancellationToken).AsTask();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _message.Length;
        return true;
    }
}
