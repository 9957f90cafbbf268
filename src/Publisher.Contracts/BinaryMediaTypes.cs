namespace Publisher.Contracts;

/// <summary>
/// The stack's binary media types: API Gateway hands a request body of these content types to the function
/// base64-encoded (<c>isBase64Encoded: true</c>), and every other body as text. One list for the CDK stack
/// (TopicsApi) and the local API that emulates it.
/// </summary>
public static class BinaryMediaTypes
{
    /// <summary>The list as the stack declares it (<c>type/subtype</c>, <c>type/*</c> wildcards).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "application/octet-stream", "application/x-protobuf", "application/protobuf", "application/cbor",
        "application/msgpack", "application/x-msgpack", "image/*", "audio/*", "video/*",
    ];

    /// <summary>
    /// Whether API Gateway treats a body with this <c>Content-Type</c> as binary: its media type (parameters
    /// ignored, case-insensitive) equals an entry, or falls under a <c>type/*</c> or <c>*/*</c> entry.
    /// No content type is text, as in API Gateway.
    /// </summary>
    public static bool Matches(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        foreach (var entry in All)
        {
            if (entry == "*/*"
                || string.Equals(entry, mediaType, StringComparison.OrdinalIgnoreCase)
                || (entry.EndsWith("/*", StringComparison.Ordinal)
                    && string.Equals(entry[..^2], mediaType[..slash], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
