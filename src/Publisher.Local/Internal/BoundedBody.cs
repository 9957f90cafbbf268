using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Publisher.Local.Internal;

/// <summary>
/// Reads a request body up to a cap and no further: a declared Content-Length over the cap is refused before
/// a byte is read, and any body is counted as it streams and abandoned at the first byte past the cap.
/// Memory per request is bounded by what the client actually sent (never by what it declared), and a refused
/// or unfinished body only ever occupied small pooled segments (no large-object-heap arrays that outlive it).
/// </summary>
internal static class BoundedBody
{
    private const int SegmentSize = 16 * 1024;

    /// <summary>The body, or null when it is larger than <paramref name="cap"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int cap, CancellationToken cancellationToken)
    {
        if (request.ContentLength > cap)
        {
            return null;
        }

        // Declared or chunked, the body is read into pooled segments as it arrives; one array of the final size only
        // for a body that is complete. An array of the declared size up front would let a client that declares the
        // cap and sends nothing more make the service hold the cap per connection (hundreds of them exhaust a capped heap).
        var segments = new List<byte[]>();
        var length = 0;
        try
        {
            while (true)
            {
                var segment = ArrayPool<byte>.Shared.Rent(SegmentSize);
                segments.Add(segment);
                var filled = 0;
                while (filled < segment.Length)
                {
                    var read = await request.Body.ReadAsync(segment.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return Join(segments, length);
                    }

                    filled += read;
                    length += read;
                    if (length > cap)
                    {
                        return null;
                    }
                }
            }
        }
        finally
        {
            foreach (var segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }
        }
    }

    private static byte[] Join(List<byte[]> segments, int length)
    {
        var body = new byte[length];
        var offset = 0;
        foreach (var segment in segments)
        {
            var count = Math.Min(segment.Length, length - offset);
            segment.AsSpan(0, count).CopyTo(body.AsSpan(offset));
            offset += count;
        }

        return body;
    }
}
