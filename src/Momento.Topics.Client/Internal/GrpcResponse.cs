using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;

namespace Momento.Topics.Client.Internal;

/// <summary>Reads a unary gRPC response as grpc-dotnet does: its status, trailers and one length-prefixed message.</summary>
internal static class GrpcResponse
{
    public const string ContentType = "application/grpc";

    private const string StatusHeader = "grpc-status";
    private const string MessageHeader = "grpc-message";
    private const string EncodingHeader = "grpc-encoding";

    /// <summary>A status when the headers already end the call (trailers-only, or not a gRPC response); null to read on.</summary>
    public static Status? ValidateHeaders(HttpResponseMessage response, out Metadata? trailers)
    {
        // A status in the headers (trailers-only) takes precedence over every other check.
        if (TryGetStatus(response.Headers, out var headerStatus))
        {
            trailers = BuildMetadata(response.Headers);
            return headerStatus.StatusCode == StatusCode.OK
                ? new Status(StatusCode.Internal, "Failed to deserialize response message. The response header contains a gRPC status of OK, which means any message returned to the client for this call should be ignored. A unary or client streaming gRPC call must have a response message, which makes this response invalid.")
                : headerStatus;
        }

        trailers = null;
        if (response.Version < HttpVersion.Version20)
        {
            return new Status(StatusCode.Internal, $"Bad gRPC response. Response protocol downgraded to HTTP/{response.Version.ToString(2)}.");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Status(FromHttpStatus(response.StatusCode), "Bad gRPC response. HTTP status code: " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }

        var contentType = GetValue(response.Content.Headers, "content-type");
        if (contentType is null)
        {
            return new Status(StatusCode.Cancelled, "Bad gRPC response. Response did not have a content-type header.");
        }

        return IsGrpcContentType(contentType) ? null : new Status(StatusCode.Cancelled, "Bad gRPC response. Invalid content-type value: " + contentType);
    }

    /// <summary>The status from the trailers, or from the headers; CANCELLED when there is none, as grpc-dotnet reports it.</summary>
    public static Status GetStatus(HttpResponseMessage response)
    {
        try
        {
            return TryGetStatus(response.TrailingHeaders, out var status) || TryGetStatus(response.Headers, out status)
                ? status
                : new Status(StatusCode.Cancelled, "No grpc-status found on response.");
        }
        catch (FormatException e)
        {
            return new Status(StatusCode.Cancelled, e.Message, e);
        }
    }

    /// <summary>
    /// Reads the one message of a unary response and checks that nothing follows it; null when the body is empty.
    /// A compressed message (this client asks for none) or one over <see cref="UnaryCall.MaxResponseMessageBytes"/> is refused.
    /// </summary>
    public static async Task<byte[]?> ReadSingleMessageAsync(Stream body, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var prefix = new byte[PubsubWire.PrefixLength];
        var received = await ReadAtMostAsync(body, prefix, cancellationToken).ConfigureAwait(false);
        if (received == 0)
        {
            return null;
        }

        if (received < prefix.Length)
        {
            throw new InvalidDataException("Unexpected end of content while reading the message header.");
        }

        if (prefix[0] != 0)
        {
            var encoding = GetValue(response.Headers, EncodingHeader);
            throw new RpcException(encoding is null
                ? new Status(StatusCode.Internal, "Request did not include grpc-encoding value with compressed message.")
                : string.Equals(encoding, "identity", StringComparison.Ordinal)
                    ? new Status(StatusCode.Internal, "Request sent 'identity' grpc-encoding value with compressed message.")
                    : new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: identity"));
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1));
        if (length > UnaryCall.MaxResponseMessageBytes)
        {
            // INTERNAL rather than grpc-dotnet's RESOURCE_EXHAUSTED: the request was sent and may have been applied,
            // which RESOURCE_EXHAUSTED (a service limit, certainly not applied) would deny.
            throw new RpcException(new Status(StatusCode.Internal, "Received message exceeds the maximum configured message size."));
        }

        var message = new byte[length];
        if (await ReadAtMostAsync(body, message, cancellationToken).ConfigureAwait(false) < message.Length)
        {
            throw new InvalidDataException("Unexpected end of content while reading the message content.");
        }

        if (await body.ReadAsync(prefix.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new InvalidDataException("Unexpected data after finished reading message.");
        }

        return message;
    }

    /// <summary>Response metadata without pseudo-headers and <c>grpc-</c> headers; <c>-bin</c> values base64-decoded.</summary>
    public static Metadata BuildMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers.NonValidated)
        {
            if (key.StartsWith(':') || key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || !IsMetadataKey(key))
            {
                continue;
            }

            var value = string.Join(",", values);
            if (!key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase))
            {
                metadata.Add(key, value);
                continue;
            }

            // Repeated binary values may arrive joined with ","; the spec has each decoded on its own.
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (TryDecodeBase64(part, out var bytes))
                {
                    metadata.Add(key, bytes);
                }
            }
        }

        return metadata;
    }

    /// <summary>The status code for a transport exception, by the gRPC spec's mapping of HTTP/2 error codes.</summary>
    public static StatusCode StatusFromException(Exception exception)
    {
        var transport = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpProtocolException protocol:
                    return protocol.ErrorCode switch
                    {
                        0x7 => StatusCode.Unavailable, // REFUSED_STREAM
                        0x8 => StatusCode.Cancelled, // CANCEL
                        0xb => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
                        0xc => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
                        _ => StatusCode.Internal,
                    };
                case System.Net.Sockets.SocketException or IOException:
                    transport = true;
                    break;
            }
        }

        return transport ? StatusCode.Unavailable : StatusCode.Internal;
    }

    /// <summary>"Type: message" of an exception and its inner ones, as grpc-dotnet puts them in a status detail.</summary>
    public static string Describe(Exception exception)
    {
        var text = new StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            text.Append(text.Length == 0 ? string.Empty : " ").Append(e.GetType().Name).Append(": ").Append(e.Message);
        }

        return text.ToString();
    }

    internal static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 or 431 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        >= 100 and < 200 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };

    internal static bool IsGrpcContentType(string contentType) =>
        contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is ';' or '+');

    private static bool TryGetStatus(HttpHeaders headers, out Status status)
    {
        status = default;
        if (GetValue(headers, StatusHeader) is not { } code)
        {
            return false;
        }

        if (!int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException("Unexpected grpc-status value: " + code);
        }

        // grpc-message is UTF-8, percent-encoded.
        var message = GetValue(headers, MessageHeader);
        status = new Status((StatusCode)value, string.IsNullOrEmpty(message) ? string.Empty : Uri.UnescapeDataString(message));
        return true;
    }

    private static async Task<int> ReadAtMostAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var received = 0;
        int read;
        while (received < buffer.Length && (read = await body.ReadAsync(buffer[received..], cancellationToken).ConfigureAwait(false)) > 0)
        {
            received += read;
        }

        return received;
    }

    private static string? GetValue(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static bool IsMetadataKey(string key)
    {
        foreach (var c in key)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return key.Length > 0;
    }

    private static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        // gRPC senders may leave out the padding.
        var padded = (value.Length % 4) switch { 2 => value + "==", 3 => value + "=", _ => value };
        bytes = new byte[padded.Length / 4 * 3];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
