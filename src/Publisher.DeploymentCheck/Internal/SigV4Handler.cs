using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>
/// Signs each request with AWS Signature Version 4 (AWSSDK.Core's <see cref="AWS4Signer"/>), for the IAM-authorized
/// front doors: <c>execute-api</c> for a REST or HTTP API, <c>lambda</c> for a function URL. Credentials are asked for
/// on every request, so refreshing ones (SSO, roles) stay valid.
/// </summary>
internal sealed class SigV4Handler : DelegatingHandler
{
    /// <summary>The service name API Gateway's execute-api endpoints sign with (REST and HTTP APIs).</summary>
    public const string ExecuteApi = "execute-api";

    /// <summary>The service name Lambda function URLs sign with.</summary>
    public const string Lambda = "lambda";

    /// <summary>The label of a function URL's host: <c>url-id.lambda-url.REGION.on.aws</c>.</summary>
    private const string FunctionUrlLabel = "lambda-url";

    private const string DateHeader = "X-Amz-Date";
    private const string ContentSha256Header = "X-Amz-Content-SHA256";
    private const string SecurityTokenHeader = "X-Amz-Security-Token";

    private readonly ClientConfig _signingConfig;

    private readonly AWSCredentials _credentials;
    private readonly string _region;
    private readonly TimeProvider _time;

    public SigV4Handler(AWSCredentials credentials, string region, HttpMessageHandler inner, string service = ExecuteApi, TimeProvider? time = null)
        : base(inner)
    {
        _credentials = credentials;
        _region = region;
        Service = service;
        _time = time ?? TimeProvider.System;
        _signingConfig = new UrlSigningConfig(service);
    }

    /// <summary>
    /// The region of an execute-api host (<c>id.execute-api.REGION.amazonaws.com</c>) or a function URL's host
    /// (<c>url-id.lambda-url.REGION.on.aws</c>), or null (a custom domain, a local address).
    /// </summary>
    public static string? RegionOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parts = url.Host.Split('.');
        var index = ServiceOf(url) == Lambda ? Array.IndexOf(parts, FunctionUrlLabel) : Array.IndexOf(parts, ExecuteApi);
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : null;
    }

    /// <summary>
    /// The service a URL's requests are signed for: <see cref="Lambda"/> for a function URL's host
    /// (<c>*.lambda-url.REGION.on.aws</c>), <see cref="ExecuteApi"/> for anything else (REST and HTTP APIs, custom domains).
    /// </summary>
    public static string ServiceOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parts = url.Host.Split('.');
        var index = Array.IndexOf(parts, FunctionUrlLabel);
        return index >= 1 && index + 4 == parts.Length && parts[^2] == "on" && parts[^1] == "aws" ? Lambda : ExecuteApi;
    }

    /// <summary>The service this handler signs for.</summary>
    public string Service { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var credentials = await _credentials.GetCredentialsAsync().ConfigureAwait(false);
        Sign(request, body, credentials, _time.GetUtcNow());
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds x-amz-date, x-amz-content-sha256, the session token (if any) and the Authorization header.</summary>
    internal void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var signing = new DefaultRequest(new UnsignedRequest(), Service)
        {
            HttpMethod = request.Method.Method,
            Endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority)),
            // The path as sent (already percent-encoded once); the signer encodes each segment once more,
            // which is the double encoding every service but S3 expects. Decoding first would merge "%2F" into a segment break.
            ResourcePath = uri.AbsolutePath,
            UseDoubleEncoding = false,
            Content = body,
            AuthenticationRegion = _region,
            OverrideSigningServiceName = Service,
            UseQueryString = true,
        };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            signing.Parameters[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }

        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            // Hop-by-hop or set by the HTTP stack after signing: not part of the signature.
            if (header.Key.ToLowerInvariant() is "host" or "authorization" or "user-agent" or "content-length" or "x-amz-date" or "x-amz-content-sha256" or "x-amz-security-token")
            {
                continue;
            }

            signing.Headers[header.Key] = string.Join(",", header.Value);
        }

        if (credentials.UseToken)
        {
            signing.Headers[SecurityTokenHeader] = credentials.Token;
        }

        var result = new AWS4Signer(signPayload: true)
            .SignRequest(signing, _signingConfig, metrics: null, credentials.AccessKey, credentials.SecretKey, now.UtcDateTime);
        foreach (var name in new[] { DateHeader, ContentSha256Header, SecurityTokenHeader })
        {
            request.Headers.Remove(name);
            if (signing.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>The SDK's request type, empty: the signer needs one, the HTTP request carries everything.</summary>
    private sealed class UnsignedRequest : AmazonWebServiceRequest;

    /// <summary>The signer's view of the client: the service signed for, standard defaults; endpoints come from the URL, never resolved.</summary>
    private sealed class UrlSigningConfig(string service)
        : ClientConfig(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard }]))
    {
        public override string RegionEndpointServiceName => service;

        public override string ServiceVersion => service == Lambda ? "2015-03-31" : "2015-07-09";

        public override string UserAgent => "publisher-deployment-check";

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
            throw new NotSupportedException("The deployment checker signs requests to URLs it is given; it resolves no endpoints.");
    }
}
