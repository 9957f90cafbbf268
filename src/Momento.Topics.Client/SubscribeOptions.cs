namespace Momento.Topics.Client;

/// <summary>Where a subscription starts. The default (both zero) starts with the next published item.</summary>
public sealed record SubscribeOptions
{
    /// <summary>
    /// The sequence number of the last item already processed (0 = none). The subscription continues
    /// after it: the service is asked for the next number and replays what it still holds from there; when
    /// it no longer holds that, a <see cref="TopicEvent.Discontinuity"/> with this number as
    /// <see cref="TopicEvent.Discontinuity.LastSequenceNumber"/> comes first.
    /// </summary>
    public ulong ResumeAtSequenceNumber { get; init; }

    /// <summary>The sequence page that <see cref="ResumeAtSequenceNumber"/> belongs to (0 = unknown).</summary>
    public ulong SequencePage { get; init; }
}
