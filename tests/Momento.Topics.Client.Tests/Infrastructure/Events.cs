namespace Momento.Topics.Client.Tests.Infrastructure;

/// <summary>Reads and describes subscription events in tests.</summary>
internal static class Events
{
    /// <summary>Reads events until the enumeration ends, or <paramref name="stopAfter"/> events have come.</summary>
    public static async Task<List<TopicEvent>> CollectAsync(IAsyncEnumerable<TopicEvent> events, CancellationToken cancellationToken = default, int stopAfter = int.MaxValue)
    {
        var collected = new List<TopicEvent>();
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (collected.Count < stopAfter && await enumerator.MoveNextAsync().AsTask().DefaultTimeout())
        {
            collected.Add(enumerator.Current);
        }

        return collected;
    }

    public static string Describe(TopicEvent e) => e switch
    {
        TopicEvent.Heartbeat => "heartbeat",
        TopicEvent.TextItem t => $"{t.Value}@{t.SequenceNumber}/{t.SequencePage}",
        TopicEvent.BinaryItem b => $"bin[{b.Value.Length}]@{b.SequenceNumber}/{b.SequencePage}",
        TopicEvent.Discontinuity d => $"gap {d.LastSequenceNumber}->{d.NewSequenceNumber}/{d.NewSequencePage}",
        TopicEvent.Error { TopicError: var error } => $"error {error.MomentoName}",
        _ => e.ToString(),
    };
}
