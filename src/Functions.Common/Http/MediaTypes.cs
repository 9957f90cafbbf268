using Publisher.Contracts;

namespace Functions.Common.Http;

/// <summary>Media-type helpers for the content negotiation the functions need.</summary>
public static class MediaTypes
{
    /// <summary>JSON (the contract's <see cref="HttpContract.JsonMediaType"/>).</summary>
    public const string Json = HttpContract.JsonMediaType;

    /// <summary>RFC 9457 problem details (the contract's <see cref="HttpContract.ProblemMediaType"/>).</summary>
    public const string ProblemJson = HttpContract.ProblemMediaType;

    /// <summary>The type/subtype without parameters, lower case; null when absent or blank.</summary>
    public static string? Essence(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var essence = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return essence.Length == 0 ? null : essence.ToLowerInvariant();
    }

    /// <summary>The charset parameter, lower case, or null.</summary>
    public static string? Charset(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        foreach (var part in contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            if (part.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))
            {
                return part["charset=".Length..].Trim('"').ToLowerInvariant();
            }
        }

        return null;
    }

    /// <summary>True for <c>application/json</c> and any <c>+json</c> type.</summary>
    public static bool IsJson(string? essence) =>
        essence is not null && (essence == Json || essence.EndsWith("+json", StringComparison.Ordinal));

    /// <summary>True for bodies published as text: <c>text/*</c> and JSON.</summary>
    public static bool IsText(string? essence) =>
        essence is not null && (essence.StartsWith("text/", StringComparison.Ordinal) || IsJson(essence));

    /// <summary>
    /// The one charset rule of every route that reads a body as text: UTF-8 (or its subset US-ASCII), said or
    /// implied; any other charset is a 415 that names it.
    /// </summary>
    public static Problem? CheckUtf8Charset(string? contentType)
    {
        var charset = Charset(contentType);
        return charset is null or "utf-8" or "utf8" or "us-ascii"
            ? null
            : Problem.UnsupportedMedia($"Text bodies must be UTF-8; the request says charset '{Printable.Truncate(charset)}'.");
    }
}
