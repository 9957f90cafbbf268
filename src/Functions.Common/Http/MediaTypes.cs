namespace Functions.Common.Http;

/// <summary>Media-type helpers for the content negotiation the functions need.</summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";

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

    /// <summary>True for bodies published as text: <c>text/*</c> and JSON.</summary>
    public static bool IsText(string? essence) =>
        essence is not null && (essence.StartsWith("text/", StringComparison.Ordinal) || essence == Json || essence.EndsWith("+json", StringComparison.Ordinal));
}
