using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Functions.Common.Http;

/// <summary>JSON string escapes read straight from the raw bytes of a well-formed string token.</summary>
internal static class Escapes
{
    /// <summary>False when a <c>\u</c> escape is a UTF-16 surrogate without its partner (the reader validated everything else).</summary>
    public static bool AreValidUnicode(ReadOnlySpan<byte> raw)
    {
        var expectLow = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                if (expectLow)
                {
                    return false;
                }

                continue;
            }

            if (raw[++i] != 'u')
            {
                if (expectLow)
                {
                    return false;
                }

                continue;
            }

            var unit = Unit(raw.Slice(i + 1, 4));
            i += 4;
            if (expectLow != char.IsLowSurrogate(unit))
            {
                return false;
            }

            expectLow = char.IsHighSurrogate(unit);
        }

        return !expectLow;
    }

    /// <summary>The string's text, with each lone surrogate written as its escape (<c>\uD800</c>) so it can be shown.</summary>
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                continue;
            }

            text.Append(Encoding.UTF8.GetString(raw[start..i]));
            var kind = (char)raw[++i];
            if (kind != 'u')
            {
                text.Append(kind switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => kind });
            }
            else
            {
                var unit = Unit(raw.Slice(i + 1, 4));
                i += 4;
                var next = i + 6 < raw.Length && raw[i + 1] == '\\' && raw[i + 2] == 'u' ? Unit(raw.Slice(i + 3, 4)) : '\0';
                if (char.IsHighSurrogate(unit) && char.IsLowSurrogate(next))
                {
                    text.Append(unit).Append(next);
                    i += 6;
                }
                else if (char.IsSurrogate(unit))
                {
                    text.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(unit);
                }
            }

            start = i + 1;
        }

        return text.Append(Encoding.UTF8.GetString(raw[start..])).ToString();
    }

    /// <summary>
    /// The UTF-8 length of a well-formed string's text once its escapes are decoded, counted without decoding it: an
    /// escape such as <c>\u0001</c> is one byte of six, each half of a surrogate pair two (lone surrogates are refused
    /// before this is asked, see <see cref="AreValidUnicode"/>).
    /// </summary>
    public static int UnescapedLength(ReadOnlySpan<byte> raw)
    {
        var length = 0;
        for (int backslash; (backslash = raw.IndexOf((byte)'\\')) >= 0;)
        {
            length += backslash;
            if (raw[backslash + 1] != 'u')
            {
                length++;
                raw = raw[(backslash + 2)..];
                continue;
            }

            var unit = Unit(raw.Slice(backslash + 2, 4));
            length += unit < 0x80 ? 1 : unit < 0x800 || char.IsSurrogate(unit) ? 2 : 3;
            raw = raw[(backslash + 6)..];
        }

        return length + raw.Length;
    }

    /// <summary>
    /// Writes a well-formed string's text, its escapes decoded, as UTF-8 into <paramref name="destination"/> (of at least
    /// <see cref="UnescapedLength"/> bytes) and returns the bytes written. Lone surrogates are refused before this is asked.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var written = 0;
        for (int backslash; (backslash = raw.IndexOf((byte)'\\')) >= 0;)
        {
            raw[..backslash].CopyTo(destination[written..]);
            written += backslash;
            var kind = raw[backslash + 1];
            if (kind != 'u')
            {
                destination[written++] = kind switch { (byte)'b' => (byte)'\b', (byte)'f' => (byte)'\f', (byte)'n' => (byte)'\n', (byte)'r' => (byte)'\r', (byte)'t' => (byte)'\t', _ => kind };
                raw = raw[(backslash + 2)..];
                continue;
            }

            int scalar = Unit(raw.Slice(backslash + 2, 4));
            raw = raw[(backslash + 6)..];
            if (char.IsHighSurrogate((char)scalar))
            {
                // Its low half is the next escape.
                scalar = char.ConvertToUtf32((char)scalar, Unit(raw.Slice(2, 4)));
                raw = raw[6..];
            }

            written += new Rune(scalar).EncodeToUtf8(destination[written..]);
        }

        raw.CopyTo(destination[written..]);
        return written + raw.Length;
    }

    private static char Unit(ReadOnlySpan<byte> hex)
    {
        Utf8Parser.TryParse(hex, out ushort value, out _, 'X');
        return (char)value;
    }
}
