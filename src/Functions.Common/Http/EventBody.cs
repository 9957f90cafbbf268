using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Functions.Common.Http;

/// <summary>
/// An event's <c>body</c> as it lies in the payload (its JSON string token, quotes included): found, measured and
/// decoded there, with no string of it. Measuring reads the text only, so a body over its limit is refused before any
/// of it is decoded.
/// </summary>
/// <param name="Token">The string token, quotes included; empty when the event has no body.</param>
/// <param name="Escaped">Whether the token holds escapes.</param>
internal readonly record struct EventBody(ReadOnlyMemory<byte> Token, bool Escaped)
{
    /// <summary>The member's name in both payload versions.</summary>
    public const string Name = "body";

    private bool IsEmpty => Token.Length <= 2;

    private ReadOnlySpan<byte> Raw => Token.Span[1..^1];

    /// <summary>
    /// The body among the top-level members of an event that the serializer has read: the last one, names matched
    /// case-insensitively, as the serializer takes them; empty when there is none or it is null. A body that is
    /// neither a string nor null is the problem the serializer's type check would have given.
    /// </summary>
    public static Checked<EventBody> Find(ReadOnlyMemory<byte> payload, int maxDepth)
    {
        var reader = new Utf8JsonReader(payload.Span, new JsonReaderOptions { MaxDepth = maxDepth });
        var body = default(EventBody);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isBody = reader.ValueIsEscaped
                ? string.Equals(reader.GetString(), Name, StringComparison.OrdinalIgnoreCase)
                : Ascii.EqualsIgnoreCase(reader.ValueSpan, "body"u8);
            reader.Read();
            if (isBody)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        body = new EventBody(payload.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), reader.ValueIsEscaped);
                        break;
                    case JsonTokenType.Null:
                        body = default;
                        break;
                    default:
                        return Problem.Invalid("The event is not a valid API Gateway proxy event: body does not have the type API Gateway gives it.", Name);
                }
            }

            reader.Skip();
        }

        return body;
    }

    /// <summary>The decoded body's length in bytes, counted without decoding it: base64 from its length and padding, text as UTF-8.</summary>
    public int Length(bool base64)
    {
        if (IsEmpty)
        {
            return 0;
        }

        var raw = Raw;
        var length = Escaped ? Escapes.UnescapedLength(raw) : raw.Length;
        if (!base64)
        {
            return length;
        }

        // Base64 is ASCII: one byte per character. Exact for canonical base64, which is all API Gateway sends.
        var padding = Escaped ? 0 : raw.EndsWith("=="u8) ? 2 : raw.EndsWith("="u8) ? 1 : 0;
        return Math.Max(0, (length / 4 * 3) - padding);
    }

    /// <summary>The body's bytes: the text as UTF-8, or decoded base64 (null when it is not valid base64).</summary>
    public byte[]? Decode(bool base64)
    {
        if (IsEmpty)
        {
            return [];
        }

        if (!base64)
        {
            return Escaped ? Unescape() : Raw.ToArray();
        }

        var text = Escaped ? Unescape() : Raw;
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        return Base64.DecodeFromUtf8(text, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            ? written == bytes.Length ? bytes : bytes[..written]
            : null;
    }

    // Into an array of the exact length (Utf8JsonReader.CopyString wants room for more than the text it writes).
    private byte[] Unescape()
    {
        var text = new byte[Escapes.UnescapedLength(Raw)];
        Escapes.Unescape(Raw, text);
        return text;
    }
}
