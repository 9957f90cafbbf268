namespace Subscriber.Function;

/// <summary>What a verification session saw: the JSON answer of <c>/verify</c> and of a direct invocation.</summary>
/// <param name="Topic">The topic listened to.</param>
/// <param name="Condition">The condition, as text (<c>count:N</c>, <c>equals</c>, <c>contains</c>).</param>
/// <param name="ConditionMet">True when the condition held before time ran out.</param>
/// <param name="Subscribed">True once the subscription's first heartbeat arrived.</param>
/// <param name="SubscribedMs">Time from the start to the first heartbeat, if it came.</param>
/// <param name="ListenedMs">Time spent listening.</param>
/// <param name="Heartbeats">Heartbeats received.</param>
/// <param name="Items">Items received, in order (at most the contract's <c>MaxVerifyCount</c>).</param>
/// <param name="ItemsTruncated">True when more items arrived than are returned.</param>
/// <param name="Discontinuities">Discontinuities reported by the service.</param>
public sealed record VerifyResult(
    string Topic,
    string Condition,
    bool ConditionMet,
    bool Subscribed,
    double? SubscribedMs,
    double ListenedMs,
    int Heartbeats,
    IReadOnlyList<VerifyItem> Items,
    bool ItemsTruncated,
    IReadOnlyList<VerifyDiscontinuity> Discontinuities);

/// <summary>One item a session received: text, or bytes (as base64).</summary>
/// <param name="Type"><c>text</c> or <c>binary</c>.</param>
/// <param name="Text">The text of a text item.</param>
/// <param name="Base64">The bytes of a binary item.</param>
/// <param name="SequenceNumber">The item's sequence number.</param>
/// <param name="SequencePage">The sequence page it belongs to.</param>
/// <param name="PublisherId">Who published it, as Momento says.</param>
public sealed record VerifyItem(string Type, string? Text, byte[]? Base64, ulong SequenceNumber, ulong SequencePage, string PublisherId);

/// <summary>A gap in the sequence the service reported.</summary>
/// <param name="LastSequenceNumber">The last sequence number before the gap.</param>
/// <param name="NewSequenceNumber">The first sequence number after it.</param>
/// <param name="NewSequencePage">The sequence page after it.</param>
public sealed record VerifyDiscontinuity(ulong LastSequenceNumber, ulong NewSequenceNumber, ulong NewSequencePage);
