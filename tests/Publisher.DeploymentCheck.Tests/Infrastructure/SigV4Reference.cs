using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Publisher.DeploymentCheck.Tests.Infrastructure;

/// <summary>
/// An independent SigV4 implementation, written from AWS's "Create a signed AWS API request" steps and checked
/// against AWS's published example: what API Gateway does to the request it receives. The tests hold the
/// checker's signatures (AWSSDK.Core's signer) to it.
/// </summary>
internal static partial class SigV4Reference
{
    /// <summary>One request as it arrived: the path and query as sent on the wire (percent-encoded), headers by lower-case name.</summary>
    public sealed record Received(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>What the Authorization header claims.</summary>
    public sealed record Claim(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

    public static Claim? ParseAuthorization(string? authorization)
    {
        var match = authorization is null ? null : AuthorizationHeader().Match(authorization);
        if (match is null || !match.Success)
        {
            return null;
        }

        var scope = match.Groups["credential"].Value.Split('/');
        return scope.Length == 5 && scope[4] == "aws4_request"
            ? new Claim(scope[0], scope[1], scope[2], scope[3], match.Groups["signed"].Value.Split(';'), match.Groups["signature"].Value)
            : null;
    }

    /// <summary>The signature AWS computes for the request with this secret, over the headers the client says it signed.</summary>
    public static string Signature(Received request, Claim claim, string secretAccessKey)
    {
        var canonicalRequest = CanonicalRequest(request, claim.SignedHeaders);
        return SignatureOf(StringToSign(canonicalRequest, request.Headers["x-amz-date"], claim.Date, claim.Region, claim.Service), secretAccessKey, claim.Date, claim.Region, claim.Service);
    }

    /// <summary>Task 1: the canonical request, over <paramref name="signedHeaders"/> (lower-case, sorted).</summary>
    public static string CanonicalRequest(Received request, IReadOnlyList<string> signedHeaders)
    {
        var canonicalHeaders = string.Concat(signedHeaders.Select(name => name + ":" + Collapse(request.Headers.GetValueOrDefault(name) ?? string.Empty) + "\n"));
        return string.Join('\n',
            request.Method,
            CanonicalPath(request.Path),
            CanonicalQuery(request.Query),
            canonicalHeaders,
            string.Join(';', signedHeaders),
            Convert.ToHexStringLower(SHA256.HashData(request.Body)));
    }

    /// <summary>Task 2: the string to sign, for the scope date/region/service/aws4_request.</summary>
    public static string StringToSign(string canonicalRequest, string amzDate, string date, string region, string service) =>
        string.Join('\n', "AWS4-HMAC-SHA256", amzDate, $"{date}/{region}/{service}/aws4_request",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

    /// <summary>Tasks 3 and 4: the signing key derived from the secret and the scope, and the signature of <paramref name="stringToSign"/>.</summary>
    public static string SignatureOf(string stringToSign, string secretAccessKey, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>The headers of a request as the server sees them, host included.</summary>
    public static Dictionary<string, string> HeadersOf(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        }

        return headers;
    }

    // Every segment of the path as sent is URI-encoded once more (all services but S3).
    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.EscapeDataString(Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]));
                var value = eq < 0 ? string.Empty : Uri.EscapeDataString(Uri.UnescapeDataString(pair[(eq + 1)..]));
                return (name, value);
            })
            .OrderBy(p => p.name, StringComparer.Ordinal)
            .ThenBy(p => p.value, StringComparer.Ordinal)
            .Select(p => p.name + "=" + p.value));

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<credential>\S+), SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();
}
