namespace Momento.Topics.Client;

/// <summary>Where a subscription starts. The default (both zero) starts with the next published item.</summary>
public sealed record SubscribeOptions
{
    /// <summary>
    /// The sequence number of the last item already processed (0 = none). The subscription continues
    /// after it: the service replays what it still holds from there, and the item itself is not yielded again.
    /// </summary>
    public ulong ResumeAtSequenceNumber { get; init; }

    /// <summary>The sequence page that <see cref="ResumeAtSequenceNumber"/> belongs to (0 = unknown).</summary>
    public ulong SequencePage { get; init; }
}
