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

    private static char Unit(ReadOnlySpan<byte> hex)
    {
        Utf8Parser.TryParse(hex, out ushort value, out _, 'X');
        return (char)value;
    }
}
