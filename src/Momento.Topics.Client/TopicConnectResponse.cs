namespace Momento.Topics.Client;

/// <summary>
/// The outcome of <see cref="TopicClient.ConnectAsync"/>: <see cref="Success"/> or <see cref="Error"/>.
/// <code>
/// var text = response switch
/// {
///     TopicConnectResponse.Success s => $"connected in {s.Elapsed}",
///     TopicConnectResponse.Error e => e.TopicError.Message,
/// };
/// </code>
/// </summary>
public abstract record TopicConnectResponse
{
    private protected TopicConnectResponse()
    {
    }

    /// <summary>The connection is open and the service answered a ping.</summary>
    /// <param name="Elapsed">How long connecting and the ping took.</param>
    public sealed record Success(TimeSpan Elapsed) : TopicConnectResponse;

    /// <summary>The connection could not be opened or the ping failed.</summary>
    /// <param name="TopicError">What went wrong.</param>
    public sealed record Error(TopicError TopicError) : TopicConnectResponse;
}
