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
        var amzDate = request.Headers["x-amz-date"];
        var canonicalHeaders = string.Concat(claim.SignedHeaders.Select(name => name + ":" + Collapse(request.Headers.GetValueOrDefault(name) ?? string.Empty) + "\n"));
        var canonicalRequest = string.Join('\n',
            request.Method,
            CanonicalPath(request.Path),
            CanonicalQuery(request.Query),
            canonicalHeaders,
            string.Join(';', claim.SignedHeaders),
            Convert.ToHexStringLower(SHA256.HashData(request.Body)));
        var scope = $"{claim.Date}/{claim.Region}/{claim.Service}/aws4_request";
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, scope, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), claim.Date);
        key = Hmac(key, claim.Region);
        key = Hmac(key, claim.Service);
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
