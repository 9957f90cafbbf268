namespace Publisher.Contracts;

// Members the JSON may omit (null is not written) are not `required`, so a reader of this answer (the deployment
// checker, through ClientJsonContext) accepts every answer the subscriber gives.

/// <summary>What a verification session saw: the JSON answer of <c>/verify</c> and of a direct invocation.</summary>
public sealed record VerifyResult
{
    /// <summary>The topic listened to.</summary>
    public required string Topic { get; init; }

    /// <summary>The condition, as text (<c>count:N</c>, <c>equals</c>, <c>contains</c>).</summary>
    public required string Condition { get; init; }

    /// <summary>True when the condition held before time ran out.</summary>
    public required bool ConditionMet { get; init; }

    /// <summary>True once the subscription's first heartbeat arrived.</summary>
    public required bool Subscribed { get; init; }

    /// <summary>Time from the start to the first heartbeat, if it came.</summary>
    public double? SubscribedMs { get; init; }

    /// <summary>Time spent listening.</summary>
    public required double ListenedMs { get; init; }

    /// <summary>Heartbeats received.</summary>
    public required int Heartbeats { get; init; }

    /// <summary>Items received, in order (at most the contract's <c>MaxVerifyCount</c>).</summary>
    public required IReadOnlyList<VerifyItem> Items { get; init; }

    /// <summary>
    /// Items whose value (text or bytes) equals an earlier item's in this session: a publish retried without an
    /// Idempotency-Key that went through twice shows here; one retried with a key does not.
    /// </summary>
    public int Duplicates { get; init; }

    /// <summary>True when more items arrived than are returned.</summary>
    public required bool ItemsTruncated { get; init; }

    /// <summary>Discontinuities reported by the service.</summary>
    public required IReadOnlyList<VerifyDiscontinuity> Discontinuities { get; init; }
}

/// <summary>One item a session received: text, or bytes (as base64).</summary>
public sealed record VerifyItem
{
    /// <summary><c>text</c> or <c>binary</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The text of a text item.</summary>
    public string? Text { get; init; }

    /// <summary>The bytes of a binary item.</summary>
    public byte[]? Base64 { get; init; }

    /// <summary>The item's sequence number.</summary>
    public required ulong SequenceNumber { get; init; }

    /// <summary>The sequence page it belongs to.</summary>
    public required ulong SequencePage { get; init; }

    /// <summary>Who published it, as Momento says.</summary>
    public required string PublisherId { get; init; }
}

/// <summary>A gap in the sequence the service reported.</summary>
/// <param name="LastSequenceNumber">The last sequence number before the gap.</param>
/// <param name="NewSequenceNumber">The first sequence number after it.</param>
/// <param name="NewSequencePage">The sequence page after it.</param>
public sealed record VerifyDiscontinuity(ulong LastSequenceNumber, ulong NewSequenceNumber, ulong NewSequencePage);
