namespace Momento.Topics.Client.Internal;

/// <summary>
/// The debug exception of a unary call that ended before its message was handed to a connection, so the request
/// certainly never reached the server; <see cref="ErrorMapper.IsNotSent"/> recognises it.
/// </summary>
internal sealed class RequestNotSentException(Exception? cause)
    : Exception("The call ended before its message was handed to a connection.", cause);
