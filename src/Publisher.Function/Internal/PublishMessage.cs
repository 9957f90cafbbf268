using System.Text;

namespace Publisher.Function.Internal;

/// <summary>One validated message to publish: text or bytes.</summary>
internal sealed record PublishMessage(string TopicName, string? Text, byte[]? Bytes)
{
    /// <summary>Size on the wire: UTF-8 bytes of text, or the bytes. Counted once: the size check, the answer and the log all need it.</summary>
    public int ByteCount { get; } = Text is not null ? Encoding.UTF8.GetByteCount(Text) : Bytes!.Length;

    /// <summary>The message's idempotency key (validated), or null: a batch message's own, or the single-message routes' header.</summary>
    public string? IdempotencyKey { get; init; }
}
