namespace Momento.Topics.Client;

/// <summary>
/// The outcome of <see cref="TopicClient.PublishAsync(string, string, string, TimeSpan?, CancellationToken)"/>:
/// <see cref="Success"/> or <see cref="Error"/>.
/// <code>
/// switch (await client.PublishAsync("cache", "topic", "hello"))
/// {
///     case TopicPublishResponse.Success: break;
///     case TopicPublishResponse.Error { TopicError: var error }:
///         Console.WriteLine($"{error.MomentoName}: {error.Message} (may have executed: {error.MayHaveExecuted})");
///         break;
/// }
/// </code>
/// </summary>
public abstract record TopicPublishResponse
{
    private protected TopicPublishResponse()
    {
    }

    /// <summary>The service accepted the value.</summary>
    /// <param name="Attempts">1, or 2 when the first attempt certainly did not reach the service and was retried.</param>
    public sealed record Success(int Attempts) : TopicPublishResponse;

    /// <summary>The publish failed; <see cref="TopicError.MayHaveExecuted"/> says whether it may still have been applied.</summary>
    /// <param name="TopicError">What went wrong.</param>
    public sealed record Error(TopicError TopicError) : TopicPublishResponse;
}
