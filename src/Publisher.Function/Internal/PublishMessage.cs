using System.Text;

namespace Publisher.Function.Internal;

/// <summary>One validated message to publish: text or bytes.</summary>
internal sealed record PublishMessage(string TopicName, string? Text, byte[]? Bytes)
{
    /// <summary>Size on the wire: UTF-8 bytes of text, or the bytes.</summary>
    public int ByteCount => Text is not null ? Encoding.UTF8.GetByteCount(Text) : Bytes!.Length;
}
