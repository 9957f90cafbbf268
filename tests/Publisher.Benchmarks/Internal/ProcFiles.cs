using System.Globalization;

namespace Publisher.Benchmarks.Internal;

/// <summary>Fields of Linux's /proc files, one <c>Name: value</c> a line.</summary>
internal static class ProcFiles
{
    /// <summary>The value of <paramref name="field"/> in <paramref name="file"/>, trimmed; null when the file or the field is not there.</summary>
    public static string? Field(string file, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == field)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or the process is gone: the caller decides what that means.
        }

        return null;
    }

    /// <summary>A field given in kB (<c>VmRSS:  12345 kB</c>), in bytes; null when it is not there.</summary>
    public static long? Bytes(string file, string field) =>
        Field(file, field) is { } value && long.TryParse(value.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes * 1024
            : null;
}
