using System.Text;

namespace Functions.Common.Http;

/// <summary>Caller text quoted in a problem's detail or field: short, and without characters that could garble a log or a terminal.</summary>
public static class Printable
{
    /// <summary>Longest quoted text, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>At most <see cref="MaxLength"/> characters, control characters and lone surrogates shown as '?', '…' when cut.</summary>
    public static string Truncate(string text)
    {
        var length = Math.Min(text.Length, MaxLength);
        var builder = new StringBuilder(length + 1);
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(text[i - 1]));
            builder.Append(char.IsControl(c) || !paired ? '?' : c);
        }

        return text.Length > MaxLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
