using Grpc.Core;
using Grpc.Net.Client;
using Momento.Protos.CachePing;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

/// <summary>
/// A Momento Topics client over one reused gRPC channel. Create one per process (per Lambda execution
/// environment) and share it; it is thread-safe. Calls report failures as values and do not throw.
/// </summary>
public sealed partial class TopicClient : IDisposable, IAsyncDisposable
{
    private const string ConnectOperation = "The connection check";

    private readonly TopicClientOptions _options;
    private readonly CallHeaders _headers;
    private readonly ChannelHolder _channels;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Uri _endpoint;

    private TopicClient(CredentialProvider credentials, TopicClientOptions options)
    {
        _options = options;
        _endpoint = credentials.CacheEndpoint;
        _headers = new CallHeaders(credentials.AuthToken, options.ExtraHeaders);
        _channels = new ChannelHolder(
            () => CreateChannel(credentials, options),
            options.TimeProvider,
            options.IdleConnectionRecycleAfter,
            tracksConnectivity: options.HttpHandlerFactory is null);
    }

    /// <summary>Counts the channels this client has created (1 at first); each idle recycle adds one.</summary>
    internal int ChannelGeneration => _channels.Generation;

    /// <summary>Creates a client. It does not connect; call <see cref="ConnectAsync"/> to open the connection early.</summary>
    /// <param name="credentials">The key and endpoint.</param>
    /// <param name="options">Timeouts and clock; default: <see cref="TopicClientOptions.Lambda"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is not a positive time span; the message names it.</exception>
    public static TopicClient Create(CredentialProvider credentials, TopicClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        options ??= TopicClientOptions.Lambda();
        options.Validate();
        return new TopicClient(credentials, options);
    }

    /// <summary>
    /// Opens the HTTP/2 connection now (for example in a Lambda's init phase) by sending a ping that must
    /// answer within <see cref="TopicClientOptions.ConnectTimeout"/>.
    /// </summary>
    public async Task<TopicConnectResponse> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        if (cancellationToken.IsCancellationRequested)
        {
            return new TopicConnectResponse.Error(ErrorMapper.CancelledByCaller(ConnectOperation, mayHaveExecuted: false));
        }

        using var lease = _channels.Acquire();
        try
        {
            var deadline = DateTime.UtcNow + _options.ConnectTimeout;
            await lease.ReconnectIfBackingOffAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            await lease.Ping.PingAsync(new _PingRequest(), new CallOptions(_headers.Create(cacheName: null), deadline, cancellationToken))
                .ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // The server answered over an open connection, which is all a ping is for.
        }
        catch (RpcException e)
        {
            var error = cancellationToken.IsCancellationRequested
                ? ErrorMapper.CancelledByCaller(ConnectOperation, mayHaveExecuted: false)
                : ErrorMapper.FromRpcException(e, ConnectOperation);
            return new TopicConnectResponse.Error(error);
        }

        return new TopicConnectResponse.Success(time.GetElapsedTime(started));
    }

    /// <summary>Closes the channel once no call uses it; running subscriptions end with a <see cref="MomentoErrorCode.CancelledError"/>.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        // The source is not disposed: running subscriptions may still link to its token.
        _disposed.Cancel();
        _channels.Dispose();
    }

    /// <summary>Shows the endpoint only; the key is never part of the text.</summary>
    public override string ToString() => $"TopicClient {{ CacheEndpoint = {_endpoint} }}";

    /// <summary>Same as <see cref="Dispose"/>; nothing needs to be awaited.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static GrpcChannel CreateChannel(CredentialProvider credentials, TopicClientOptions options)
    {
        var handler = options.HttpHandlerFactory?.Invoke() ?? new SocketsHttpHandler
        {
            // Off: a Lambda frozen between invocations misses the ping's ACK, which kills a healthy connection.
            KeepAlivePingDelay = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = options.IdleConnectionRecycleAfter,
            ConnectTimeout = options.ConnectTimeout,
            // A proxy has no business between a client and a server on this machine.
            UseProxy = !credentials.IsLocal,
        };

        return GrpcChannel.ForAddress(credentials.CacheEndpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            Credentials = credentials.IsLocal ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl,
            // Paces background reconnects only: calls cut a backoff short (see ReconnectGate).
            InitialReconnectBackoff = options.InitialReconnectBackoff,
            MaxReconnectBackoff = options.MaxReconnectBackoff,
        });
    }
}
