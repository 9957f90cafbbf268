namespace Momento.Topics.Client;

/// <summary>
/// One event of <see cref="TopicClient.SubscribeAsync"/>: an item, a heartbeat, a discontinuity, or a
/// terminal error.
/// <code>
/// await foreach (var e in client.SubscribeAsync("cache", "topic", cancellationToken: ct))
/// {
///     switch (e)
///     {
///         case TopicEvent.TextItem t: Handle(t.Value); break;
///         case TopicEvent.BinaryItem b: Handle(b.Value); break;
///         case TopicEvent.Discontinuity d: NoteGap(d); break;
///         case TopicEvent.Error { TopicError: var error }: Report(error); break; // the last event
///     }
/// }
/// </code>
/// </summary>
public abstract record TopicEvent
{
    private protected TopicEvent()
    {
    }

    /// <summary>A text value published to the topic.</summary>
    public sealed record TextItem(string Value, ulong SequenceNumber, ulong SequencePage, string PublisherId) : TopicEvent;

    /// <summary>A binary value published to the topic.</summary>
    public sealed record BinaryItem(byte[] Value, ulong SequenceNumber, ulong SequencePage, string PublisherId) : TopicEvent;

    /// <summary>The service's keep-alive; the first event of every (re)subscription stream is one.</summary>
    public sealed record Heartbeat : TopicEvent
    {
        /// <summary>The shared instance; heartbeats carry no data.</summary>
        public static Heartbeat Instance { get; } = new();
    }

    /// <summary>
    /// Items were lost: the service could not replay from the last one seen, the subscriber fell too far
    /// behind, or the topic was reset. On the same page, <c>NewSequenceNumber - LastSequenceNumber - 1</c>
    /// items were skipped; a new page (a reset) restarts the numbers.
    /// </summary>
    /// <param name="LastSequenceNumber">The last sequence number the subscriber received (after a resume, the one it resumed after).</param>
    /// <param name="NewSequenceNumber">The sequence number of the next item the subscriber receives.</param>
    /// <param name="NewSequencePage">The page of the next item.</param>
    public sealed record Discontinuity(ulong LastSequenceNumber, ulong NewSequenceNumber, ulong NewSequencePage) : TopicEvent;

    /// <summary>The subscription failed for good; it is the last event of the enumeration.</summary>
    /// <param name="TopicError">What went wrong.</param>
    public sealed record Error(TopicError TopicError) : TopicEvent;
}
