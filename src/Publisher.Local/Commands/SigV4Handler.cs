using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Publisher.Local.Commands;

/// <summary>Signs requests with AWS Signature Version 4, for APIs deployed with IAM authorization.</summary>
internal sealed class SigV4Handler : DelegatingHandler
{
    private readonly AwsCredentials _credentials;
    private readonly string _region;
    private readonly string _service;
    private readonly TimeProvider _time;

    public SigV4Handler(AwsCredentials credentials, string region, HttpMessageHandler inner, string service = "execute-api", TimeProvider? time = null)
        : base(inner)
    {
        _credentials = credentials;
        _region = region;
        _service = service;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>AWS credentials from the standard environment variables.</summary>
    internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
    {
        public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = *** }}";

        public static AwsCredentials FromEnvironment(Func<string, string?> environment)
        {
            var id = environment("AWS_ACCESS_KEY_ID");
            var secret = environment("AWS_SECRET_ACCESS_KEY");
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret))
            {
                throw new UsageException("--iam needs AWS credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones).");
            }

            var token = environment("AWS_SESSION_TOKEN");
            return new AwsCredentials(id, secret, string.IsNullOrWhiteSpace(token) ? null : token);
        }
    }

    /// <summary>The region of an execute-api host name (<c>id.execute-api.REGION.amazonaws.com</c>), or null.</summary>
    public static string? RegionOf(Uri url)
    {
        var parts = url.Host.Split('.');
        var index = Array.IndexOf(parts, "execute-api");
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : null;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Sign(request, body, _time.GetUtcNow());
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds x-amz-date, the session token and the Authorization header.</summary>
    internal void Sign(HttpRequestMessage request, byte[] body, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var uri = request.RequestUri!;
        request.Headers.Remove("x-amz-date");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        if (_credentials.SessionToken is not null)
        {
            request.Headers.Remove("x-amz-security-token");
            request.Headers.TryAddWithoutValidation("x-amz-security-token", _credentials.SessionToken);
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            var name = header.Key.ToLowerInvariant();
            if (name is "host" or "authorization" or "user-agent" or "content-length")
            {
                continue;
            }

            headers[name] = string.Join(",", header.Value.Select(v => string.Join(' ', v.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            request.Method.Method,
            CanonicalPath(uri),
            CanonicalQuery(uri),
            string.Concat(headers.Select(h => h.Key + ":" + h.Value + "\n")),
            signedHeaders,
            Hex(SHA256.HashData(body)));
        var scope = $"{date}/{_region}/{_service}/aws4_request";
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + _credentials.SecretAccessKey), date);
        key = Hmac(key, _region);
        key = Hmac(key, _service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={_credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (path.Length == 0)
        {
            return "/";
        }

        // Each segment is URI-encoded once more (API Gateway is not S3), keeping the slashes.
        return string.Join('/', path.Split('/').Select(segment => Uri.EscapeDataString(Uri.UnescapeDataString(segment))));
    }

    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
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
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
