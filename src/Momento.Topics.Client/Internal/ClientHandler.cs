using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Momento.Topics.Client.Internal;

/// <summary>
/// One channel's HTTP/2 handler (SocketsHttpHandler, configured for a Lambda), the sockets it connected, and a signal
/// for its first connection. An <see cref="EarlyConnection"/> builds one before the key is known; the client's first
/// channel then adopts it with the connection already in its pool.
/// </summary>
internal sealed class ClientHandler
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClientHandler(Uri endpoint, bool useProxy, TopicClientOptions options, Action? onConnected)
    {
        Endpoint = endpoint;
        UseProxy = useProxy;
        Options = options;
        Handler = options.HttpHandlerFactory?.Invoke() ?? CreateHandler(useProxy, options, Connections, () =>
        {
            onConnected?.Invoke();
            _connected.TrySetResult();
        });
    }

    /// <summary>The address the handler's connections go to (scheme, host and port).</summary>
    public Uri Endpoint { get; }

    /// <summary>Whether the handler may go through the environment's proxy.</summary>
    public bool UseProxy { get; }

    /// <summary>The options the handler was configured from.</summary>
    public TopicClientOptions Options { get; }

    /// <summary>The handler: the channel's, which disposes it.</summary>
    public HttpMessageHandler Handler { get; }

    /// <summary>The connections the handler opened.</summary>
    public ConnectionSet Connections { get; } = new();

    /// <summary>
    /// Completes when the first connection is up: TCP, and on https the TLS handshake with its certificate validated and
    /// <c>h2</c> negotiated, right before the handler writes the HTTP/2 preface. Never fails; never completes with
    /// <see cref="TopicClientOptions.HttpHandlerFactory"/>.
    /// </summary>
    public Task Connected => _connected.Task;

    /// <summary>A handler for <paramref name="endpoint"/>; <paramref name="onConnected"/> runs on the handler's own path
    /// once a connection is up, before the HTTP/2 preface and before any request is given the connection.</summary>
    public static ClientHandler Create(Uri endpoint, bool isLocal, TopicClientOptions options, Action? onConnected = null) =>
        new(endpoint, MayUseProxy(endpoint, isLocal), options, onConnected);

    /// <summary>Whether this handler suits a client for <paramref name="endpoint"/> with <paramref name="options"/>.</summary>
    public bool Suits(Uri endpoint, bool isLocal, TopicClientOptions options) =>
        Uri.Compare(Endpoint, endpoint, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
        && UseProxy == MayUseProxy(endpoint, isLocal)
        && Options == options;

    /// <summary>
    /// Opens a TCP socket; a literal address is connected to as it is, with no name lookup, and a name under
    /// <c>localhost</c> (such as <c>cache.localhost</c>, a local server's TLS name) as <c>localhost</c>: RFC 6761 reserves
    /// them for the loopback, as browsers treat them, though the system resolver here may not know them.
    /// </summary>
    private static async Task<Socket> ConnectSocketAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EndPoint endpoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port)
                : IsLocalhostName(host) ? new DnsEndPoint("localhost", port)
                : new DnsEndPoint(host, port);
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // A proxy has no business between a client and a server on this machine, nor in front of a literal address.
    private static bool MayUseProxy(Uri endpoint, bool isLocal) =>
        !isLocal && endpoint.HostNameType == UriHostNameType.Dns && !IsLocalhostName(endpoint.IdnHost);

    private static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static SocketsHttpHandler CreateHandler(bool useProxy, TopicClientOptions options, ConnectionSet connections, Action connected) => new()
    {
        // Off: a Lambda frozen between invocations misses the ping's ACK, which kills a healthy connection.
        KeepAlivePingDelay = Timeout.InfiniteTimeSpan,
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = options.IdleConnectionRecycleAfter,
        ConnectTimeout = options.ConnectTimeout,
        // The platform validates the certificate as it would without this callback, which only names a refusal.
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = UntrustedCertificateException.Callback },
        UseProxy = useProxy,
        // The client's own connect never looks up a literal address. It also keeps gRPC's client-side balancer (a second
        // connection layer with its own socket checks, for many endpoints) out of the path: this client has one endpoint,
        // and its first call starts sooner without it. Each connection joins the set, where the holder sees one that its
        // peer closed.
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = await ConnectSocketAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            connections.Add(socket);
            return new NetworkStream(socket, ownsSocket: true);
        },
        // The handler calls this once TLS is up (certificate validated, ALPN h2), before the HTTP/2 preface: the stream
        // passes through unchanged; the client only learns that its connection is ready.
        PlaintextStreamFilter = (context, _) =>
        {
            connected();
            return ValueTask.FromResult(context.PlaintextStream);
        },
    };
}
