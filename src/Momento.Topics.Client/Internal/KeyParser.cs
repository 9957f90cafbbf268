using System.Buffers.Text;
using System.Text.Json;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// Tells the three Momento key kinds apart and finds the cache endpoint. Messages never quote the key or
/// anything decoded from it, since a fragment of a key is still a secret.
/// </summary>
internal static class KeyParser
{
    internal const string CachePrefix = "cache.";
    internal const int DefaultTlsPort = 443;

    internal readonly record struct ParsedKey(Uri CacheEndpoint, string AuthToken);

    public static ParsedKey Parse(string? apiKey, string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new InvalidCredentialException("The API key is empty; pass the Momento API key (for example from MOMENTO_API_KEY).");
        }

        var key = apiKey.Trim();
        if (!IsHeaderSafe(key))
        {
            throw new InvalidCredentialException(
                "The API key contains whitespace or non-ASCII characters, which a key never has; check that it was copied whole and unquoted.");
        }

        // A plaintext endpoint is a local server (the emulator, tests): the key is sent as given, and only
        // to a loopback address, so a typo cannot send a real key unencrypted over a network.
        if (endpoint is not null && endpoint.Trim().StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var local = ParseLocal(endpoint);
            if (!local.IsLoopback)
            {
                throw new InvalidCredentialException(
                    "The endpoint is not a valid host name: plaintext http:// endpoints are only for a local server on a loopback address.");
            }

            return new ParsedKey(local, key);
        }

        var explicitEndpoint = string.IsNullOrWhiteSpace(endpoint) ? null : ParseEndpoint(endpoint);

        if (LooksLikeJwt(key))
        {
            var claim = ReadJwtEndpointClaim(key);
            if (claim is not null || explicitEndpoint is not null)
            {
                return new ParsedKey(explicitEndpoint ?? ParseEndpoint(claim!, fromKey: true), key);
            }

            // A JWT without "c" may be a newer key kind: it is usable only with an explicit endpoint.
            throw new InvalidCredentialException(
                "The API key is a token without an endpoint claim ('c'); pass the endpoint (for example from MOMENTO_ENDPOINT).");
        }

        if (TryDecodeV1(key, out var innerKey, out var innerEndpoint))
        {
            if (innerKey is null)
            {
                throw new InvalidCredentialException("The v1 API key has no 'api_key' field; check that the whole key was copied.");
            }

            if (!IsHeaderSafe(innerKey))
            {
                throw new InvalidCredentialException("The v1 API key's 'api_key' field contains characters that a key never has.");
            }

            if (explicitEndpoint is null && innerEndpoint is null)
            {
                throw new InvalidCredentialException(
                    "The v1 API key has no 'endpoint' field; pass the endpoint (for example from MOMENTO_ENDPOINT).");
            }

            return new ParsedKey(explicitEndpoint ?? ParseEndpoint(innerEndpoint!, fromKey: true), innerKey);
        }

        if (explicitEndpoint is null)
        {
            throw new InvalidCredentialException(
                "The API key is neither a legacy token nor a v1 key, so it needs an endpoint; pass the endpoint (for example from MOMENTO_ENDPOINT).");
        }

        return new ParsedKey(explicitEndpoint, key);
    }

    public static Uri ParseLocal(string? hostPort)
    {
        const string Usage = "The local server address must be host:port, such as 127.0.0.1:8080.";
        if (string.IsNullOrWhiteSpace(hostPort))
        {
            throw new InvalidCredentialException(Usage);
        }

        var text = hostPort.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttp
            || uri.AbsolutePath != "/"
            || uri.HostNameType == UriHostNameType.Unknown)
        {
            throw new InvalidCredentialException(Usage);
        }

        return new Uri($"http://{uri.Authority}");
    }

    /// <summary>The cache endpoint that <see cref="Parse"/> would use for <paramref name="endpoint"/>, known before the key:
    /// a loopback <c>http://</c> URL as it is, anything else as a Momento endpoint (<c>cache.</c> host, TLS port).</summary>
    public static Uri ParseEndpointOnly(string endpoint)
    {
        if (endpoint.Trim().StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var local = ParseLocal(endpoint);
            return local.IsLoopback ? local : throw new InvalidCredentialException("A plaintext http:// endpoint must be a loopback address.");
        }

        return ParseEndpoint(endpoint);
    }

    /// <summary>Accepts <c>base</c>, <c>cache.base</c>, optionally with <c>:port</c> or an https:// prefix.</summary>
    private static Uri ParseEndpoint(string endpoint, bool fromKey = false)
    {
        // An endpoint read from inside a key is not echoed either.
        var invalid = fromKey
            ? "The endpoint inside the API key is not a valid host name."
            : "The endpoint is not a valid host name; pass a host such as cell-us-east-1-1.prod.a.momentohq.com.";

        var text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || uri.AbsolutePath != "/"
            || uri.HostNameType != UriHostNameType.Dns)
        {
            throw new InvalidCredentialException(invalid);
        }

        var host = uri.IdnHost.StartsWith(CachePrefix, StringComparison.OrdinalIgnoreCase) ? uri.IdnHost : CachePrefix + uri.IdnHost;
        var port = uri.IsDefaultPort ? DefaultTlsPort : uri.Port;
        return new UriBuilder(Uri.UriSchemeHttps, host, port).Uri;
    }

    private static bool IsHeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool LooksLikeJwt(string key)
    {
        var parts = key.Split('.');
        return parts.Length == 3 && parts[0].Length > 0 && parts[1].Length > 0 && Base64Url.IsValid(parts[1]);
    }

    private static string? ReadJwtEndpointClaim(string key)
    {
        var payload = key.Split('.')[1];
        byte[] json;
        try
        {
            json = Base64Url.DecodeFromChars(payload);
        }
        catch (FormatException)
        {
            return null;
        }

        return TryReadObject(json, out var fields) && fields.TryGetValue("c", out var c) ? c : null;
    }

    private static bool TryDecodeV1(string key, out string? apiKey, out string? endpoint)
    {
        apiKey = null;
        endpoint = null;
        var bytes = TryDecodeBase64(key);
        if (bytes is null || !TryReadObject(bytes, out var fields))
        {
            return false;
        }

        apiKey = fields.GetValueOrDefault("api_key");
        endpoint = fields.GetValueOrDefault("endpoint");
        return true;
    }

    private static byte[]? TryDecodeBase64(string key)
    {
        // v1 keys are standard base64; accept the URL-safe alphabet and missing padding too.
        var normalized = key.Replace('-', '+').Replace('_', '/');
        var remainder = normalized.Length % 4;
        if (remainder == 1)
        {
            return null;
        }

        if (remainder != 0)
        {
            normalized += new string('=', 4 - remainder);
        }

        var buffer = new byte[normalized.Length / 4 * 3];
        return Convert.TryFromBase64String(normalized, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Reads the top-level non-empty string properties of a JSON object, without reflection.</summary>
    private static bool TryReadObject(byte[] json, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json.Length == 0 || json[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } value)
                {
                    fields[property.Name] = value;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
