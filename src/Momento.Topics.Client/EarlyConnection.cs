using System.Net;
using System.Security.Cryptography.X509Certificates;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

/// <summary>
/// A connection to a Momento endpoint, opened before its client exists: started at the top of a Lambda's init, its TCP
/// and TLS handshakes overlap reading the key, which only the first call needs. Pass it to
/// <see cref="TopicClient.Create(CredentialProvider, TopicClientOptions?, EarlyConnection?)"/>: a client for the same
/// endpoint, with the same options, takes it with the connection in its pool; otherwise, or when it failed, the client
/// connects as usual. Dispose it once the client is created (a connection the client took is the client's).
/// </summary>
/// <remarks>
/// SocketsHttpHandler opens a connection only for a request, and on https it performs TLS itself over what its connect
/// callback returns. So the connection is opened by a request that is cancelled the moment its connection is up (in the
/// handler's plaintext filter, before the HTTP/2 preface): since .NET 8 the handler finishes a connection whose first
/// request was cancelled and pools it, and the request itself never reaches the server. Nothing is sent without the key.
/// </remarks>
public sealed class EarlyConnection : IDisposable
{
    private readonly CancellationTokenSource _opener = new();
    private ClientHandler? _handler;

    private EarlyConnection(Uri endpoint, bool isLocal, TopicClientOptions? options)
    {
        options ??= TopicClientOptions.Lambda();
        options.Validate();
        Endpoint = endpoint;
        if (options.HttpHandlerFactory is null)
        {
            var handler = ClientHandler.Create(endpoint, isLocal, options, onConnected: _opener.Cancel);
            _handler = handler;
            _ = OpenAsync(handler, endpoint, _opener.Token);
            if (endpoint.Scheme == Uri.UriSchemeHttps)
            {
                LoadTrustedRootsAhead();
            }
        }
    }

    /// <summary>The address it connects to (scheme, host and port).</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts connecting to a local server at <c>host:port</c> (see <see cref="CredentialProvider.ForLocal(string)"/>).</summary>
    /// <param name="hostPort">The local server's <c>host:port</c>.</param>
    /// <param name="options">The options the client will be created with; default: <see cref="TopicClientOptions.Lambda"/>.</param>
    /// <exception cref="InvalidCredentialException"><paramref name="hostPort"/> is not <c>host:port</c>.</exception>
    public static EarlyConnection ToLocal(string hostPort, TopicClientOptions? options = null) =>
        new(KeyParser.ParseLocal(hostPort), isLocal: true, options);

    /// <summary>Starts connecting to the cache endpoint that <see cref="CredentialProvider.FromApiKey"/> would use with
    /// <paramref name="endpoint"/> (such as <c>cell-us-east-1-1.prod.a.momentohq.com</c>, or a loopback <c>http://</c> URL).</summary>
    /// <param name="endpoint">The Momento endpoint.</param>
    /// <param name="options">The options the client will be created with; default: <see cref="TopicClientOptions.Lambda"/>.</param>
    /// <exception cref="InvalidCredentialException">The endpoint is not a valid host name.</exception>
    public static EarlyConnection ToEndpoint(string endpoint, TopicClientOptions? options = null) =>
        new(KeyParser.ParseEndpointOnly(endpoint), isLocal: false, options);

    /// <summary>
    /// For a client whose endpoint comes with its key (so no connection can start before the key is read): loads the
    /// platform's trusted roots on another thread now, so its first TLS handshake does not parse them. An early
    /// connection to an https endpoint does this itself.
    /// </summary>
    public static void LoadTrustedRootsAhead() => _ = Task.Run(LoadTrustedRoots);

    /// <summary>Closes the connection unless a client took it.</summary>
    public void Dispose()
    {
        var handler = Interlocked.Exchange(ref _handler, null);
        if (handler is not null)
        {
            _opener.Cancel();
            handler.Handler.Dispose();
        }
    }

    /// <summary>The handler with the connection, once, for a client of the same endpoint and options; null otherwise.</summary>
    internal ClientHandler? TryTake(Uri endpoint, bool isLocal, TopicClientOptions options) =>
        _handler is { } handler && handler.Suits(endpoint, isLocal, options)
            ? Interlocked.CompareExchange(ref _handler, null, handler)
            : null;

    /// <summary>
    /// Loads the platform's trusted roots, which the TLS handshake needs only once the server's certificate has arrived
    /// (a round trip after TCP's): on Linux, .NET parses every certificate of the system store (about 145 here; tens of
    /// milliseconds) into a process-wide cache for its first chain. Done beside the handshake's round trips instead of
    /// after them. A failure here is not one: the handshake loads them again and reports what it meets.
    /// </summary>
    private static void LoadTrustedRoots()
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates)
            {
                certificate.Dispose();
            }
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            // An unreadable store is the handshake's to report, with the endpoint it was for.
        }
    }

    private static async Task OpenAsync(ClientHandler handler, Uri endpoint, CancellationToken cancelledWhenUp)
    {
        // The Ping's path and the version a gRPC call uses, so the connection lands in the pool the calls use.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, UnaryCalls.Ping.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var invoker = new HttpMessageInvoker(handler.Handler, disposeHandler: false);
        try
        {
            using var response = await invoker.SendAsync(request, cancelledWhenUp).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or ObjectDisposedException)
        {
            // Cancelled once the connection was up (its purpose), or the connection failed: the client's first call
            // connects again and reports why.
        }
    }
}
