using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

/// <summary>A parsed, validated Momento API key and the cache endpoint it is used with. Immutable.</summary>
public sealed class CredentialProvider
{
    private CredentialProvider(Uri cacheEndpoint, string authToken, bool isLocal)
    {
        CacheEndpoint = cacheEndpoint;
        AuthToken = authToken;
        IsLocal = isLocal;
    }

    /// <summary>The gRPC endpoint, such as <c>https://cache.cell-us-east-1-1.prod.a.momentohq.com:443</c>.</summary>
    public Uri CacheEndpoint { get; }

    /// <summary>Whether this targets a local server over plaintext HTTP/2 with an empty authorization.</summary>
    public bool IsLocal { get; }

    /// <summary>The value of the <c>authorization</c> header. Never shown by ToString, exceptions or logs.</summary>
    internal string AuthToken { get; }

    /// <summary>
    /// Parses a Momento API key of any kind:
    /// a legacy JWT (the endpoint comes from its claim <c>c</c>),
    /// a v1 key (base64 JSON with <c>api_key</c> and <c>endpoint</c>; the host is <c>cache.&lt;endpoint&gt;</c>),
    /// or a v2 opaque key, which needs <paramref name="endpoint"/>.
    /// </summary>
    /// <param name="apiKey">The key, as given by the Momento console.</param>
    /// <param name="endpoint">
    /// The Momento endpoint (usually <c>MOMENTO_ENDPOINT</c>, such as <c>cell-us-east-1-1.prod.a.momentohq.com</c>);
    /// the cache host is <c>cache.&lt;endpoint&gt;</c>, or the endpoint itself when it already starts with
    /// <c>cache.</c>. Required for v2 keys; for legacy and v1 keys, when given, it overrides the key's endpoint.
    /// An endpoint given as an <c>http://</c> URL on a loopback address is a local server over plaintext, with the key as authorization;
    /// <c>localhost:PORT</c> is a local server over TLS, reached as <c>https://cache.localhost:PORT</c> on the loopback (RFC 6761).
    /// Default: <see langword="null"/>.
    /// </param>
    /// <exception cref="InvalidCredentialException">The key or endpoint is unusable; the message never contains the key.</exception>
    public static CredentialProvider FromApiKey(string apiKey, string? endpoint = null)
    {
        var parsed = KeyParser.Parse(apiKey, endpoint);
        return new CredentialProvider(parsed.CacheEndpoint, parsed.AuthToken, isLocal: parsed.CacheEndpoint.Scheme == Uri.UriSchemeHttp);
    }

    /// <summary>
    /// Targets a local Momento-compatible server over plaintext HTTP/2 (h2c) at <paramref name="hostPort"/>,
    /// such as <c>127.0.0.1:8080</c>, with an empty <c>authorization</c> header.
    /// </summary>
    /// <exception cref="InvalidCredentialException"><paramref name="hostPort"/> is not <c>host:port</c>.</exception>
    public static CredentialProvider ForLocal(string hostPort) => ForLocal(hostPort, authToken: string.Empty);

    /// <summary>Like <see cref="ForLocal(string)"/> but with a given authorization, for tests of servers that check it.</summary>
    internal static CredentialProvider ForLocal(string hostPort, string authToken) =>
        new(KeyParser.ParseLocal(hostPort), authToken, isLocal: true);

    /// <summary>Shows the endpoint only; the key is never part of the text.</summary>
    public override string ToString() => $"CredentialProvider {{ CacheEndpoint = {CacheEndpoint}, IsLocal = {IsLocal} }}";
}
