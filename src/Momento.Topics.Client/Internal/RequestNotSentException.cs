namespace Momento.Topics.Client.Internal;

/// <summary>
/// The debug exception of a unary call that ended before its message was handed to a connection, or that the server
/// refused before answering (REFUSED_STREAM), so the request certainly was not processed; <see cref="ErrorMapper.IsNotSent"/>
/// recognises it.
/// </summary>
internal sealed class RequestNotSentException(Exception? cause)
    : Exception("The call ended before its message was handed to a connection, or was refused unprocessed.", cause);
