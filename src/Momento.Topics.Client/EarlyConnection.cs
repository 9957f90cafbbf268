using System.Net;
using System.Net.Sockets;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

/// <summary>
/// A TCP connection to a Momento endpoint, opened before its client exists: started at the top of a Lambda's
/// init, its handshake overlaps reading the key, which only the first call needs. Pass it to
/// <see cref="TopicClient.Create(CredentialProvider, TopicClientOptions?, EarlyConnection?)"/>: the client's first
/// connection takes it when the endpoint is the same; otherwise, or when it failed, the client connects as usual.
/// Dispose it once the client is created (a socket the client took is the client's).
/// </summary>
public sealed class EarlyConnection : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private Task<Socket>? _socket;

    private EarlyConnection(Uri endpoint, TimeSpan connectTimeout)
    {
        Host = endpoint.IdnHost;
        Port = endpoint.Port;
        _cancel = new CancellationTokenSource(connectTimeout);
        _socket = TopicClient.ConnectSocketAsync(Host, Port, _cancel.Token);
    }

    /// <summary>The host it connects to.</summary>
    public string Host { get; }

    /// <summary>The port it connects to.</summary>
    public int Port { get; }

    /// <summary>Starts connecting to a local server at <c>host:port</c> (see <see cref="CredentialProvider.ForLocal(string)"/>).</summary>
    /// <exception cref="InvalidCredentialException"><paramref name="hostPort"/> is not <c>host:port</c>.</exception>
    public static EarlyConnection ToLocal(string hostPort, TimeSpan? connectTimeout = null) =>
        new(KeyParser.ParseLocal(hostPort), connectTimeout ?? TopicClientOptions.DefaultConnectTimeout);

    /// <summary>Starts connecting to the cache endpoint that <see cref="CredentialProvider.FromApiKey"/> would use with
    /// <paramref name="endpoint"/> (such as <c>cell-us-east-1-1.prod.a.momentohq.com</c>, or a loopback <c>http://</c> URL).</summary>
    /// <exception cref="InvalidCredentialException">The endpoint is not a valid host name.</exception>
    public static EarlyConnection ToEndpoint(string endpoint, TimeSpan? connectTimeout = null) =>
        new(KeyParser.ParseEndpointOnly(endpoint), connectTimeout ?? TopicClientOptions.DefaultConnectTimeout);

    /// <summary>Closes the connection unless a client took it.</summary>
    public void Dispose()
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        if (socket is null)
        {
            return;
        }

        _cancel.Cancel();
        _ = socket.ContinueWith(
            static t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The connection, once, for a client connecting to the same host and port; null otherwise.</summary>
    internal Task<Socket>? TryTake(DnsEndPoint endpoint) =>
        string.Equals(endpoint.Host, Host, StringComparison.OrdinalIgnoreCase) && endpoint.Port == Port
            ? Interlocked.Exchange(ref _socket, null)
            : null;
}
