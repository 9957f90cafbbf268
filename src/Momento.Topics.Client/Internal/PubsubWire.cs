using System.Buffers.Binary;
using System.Text;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// Hand-written protobuf for the unary calls' messages (<c>_PublishRequest</c> out, <c>_Empty</c> in). The
/// generated messages would bring Google.Protobuf's reflection and JSON formatting into a binary that never
/// subscribes (through their <c>ToString</c>), and their codec is a few varints.
/// </summary>
internal static class PubsubWire
{
    /// <summary>The gRPC length prefix: a compressed flag and a big-endian length.</summary>
    public const int PrefixLength = 5;

    private const int MaxGroupDepth = 100;

    /// <summary>A gRPC-framed empty message (Ping's request).</summary>
    public static byte[] EmptyMessage() => new byte[PrefixLength];

    /// <summary>
    /// A gRPC-framed <c>_PublishRequest</c>; exactly <paramref name="text"/> or <paramref name="binary"/> is the value
    /// (<paramref name="text"/> null means binary). Fields are written as Google.Protobuf writes them: in field order,
    /// proto3 defaults (empty strings) left out, the value and its one-of member always present.
    /// </summary>
    public static byte[] PublishRequest(string cacheName, string topicName, string? text, ReadOnlySpan<byte> binary)
    {
        var cacheLength = Encoding.UTF8.GetByteCount(cacheName);
        var topicLength = Encoding.UTF8.GetByteCount(topicName);
        var kindLength = text is null ? binary.Length : Encoding.UTF8.GetByteCount(text);
        var valueLength = 1 + VarintLength((uint)kindLength) + kindLength;
        var bodyLength = FieldLength(cacheLength) + FieldLength(topicLength) + 1 + VarintLength((uint)valueLength) + valueLength;

        var message = new byte[PrefixLength + bodyLength];
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)bodyLength);
        var span = message.AsSpan(PrefixLength);
        WriteString(ref span, 0x0A, cacheName, cacheLength);
        WriteString(ref span, 0x12, topicName, topicLength);
        span[0] = 0x1A;
        span = span[(1 + WriteVarint(span[1..], (uint)valueLength))..];
        if (text is null)
        {
            span[0] = 0x12;
            span = span[(1 + WriteVarint(span[1..], (uint)kindLength))..];
            binary.CopyTo(span);
        }
        else
        {
            span[0] = 0x0A;
            span = span[(1 + WriteVarint(span[1..], (uint)kindLength))..];
            Encoding.UTF8.GetBytes(text, span);
        }

        return message;
    }

    /// <summary>
    /// Whether <paramref name="message"/> is well-formed protobuf, which is all an <c>_Empty</c> needs to be:
    /// every field is unknown to it and skipped, as a generated parser would.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> message)
    {
        Span<uint> groups = stackalloc uint[MaxGroupDepth];
        var depth = 0;
        while (!message.IsEmpty)
        {
            if (!TryReadVarint(ref message, out var tag) || tag >> 3 is 0 or > int.MaxValue >> 2)
            {
                return false;
            }

            var field = (uint)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    if (!TryReadVarint(ref message, out _))
                    {
                        return false;
                    }

                    break;
                case 1 when message.Length >= 8:
                    message = message[8..];
                    break;
                case 5 when message.Length >= 4:
                    message = message[4..];
                    break;
                case 2:
                    if (!TryReadVarint(ref message, out var length) || length > (ulong)message.Length)
                    {
                        return false;
                    }

                    message = message[(int)length..];
                    break;
                case 3 when depth < MaxGroupDepth:
                    groups[depth++] = field;
                    break;
                case 4 when depth > 0 && groups[depth - 1] == field:
                    depth--;
                    break;
                default:
                    return false;
            }
        }

        return depth == 0;
    }

    private static int FieldLength(int length) => length == 0 ? 0 : 1 + VarintLength((uint)length) + length;

    private static void WriteString(ref Span<byte> span, byte tag, string value, int length)
    {
        if (length == 0)
        {
            return;
        }

        span[0] = tag;
        span = span[(1 + WriteVarint(span[1..], (uint)length))..];
        span = span[Encoding.UTF8.GetBytes(value, span)..];
    }

    private static int VarintLength(uint value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static int WriteVarint(Span<byte> span, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    private static bool TryReadVarint(ref ReadOnlySpan<byte> span, out ulong value)
    {
        value = 0;
        for (var i = 0; i < 10 && i < span.Length; i++)
        {
            value |= (ulong)(span[i] & 0x7F) << (7 * i);
            if (span[i] < 0x80)
            {
                span = span[(i + 1)..];
                return true;
            }
        }

        return false;
    }
}
