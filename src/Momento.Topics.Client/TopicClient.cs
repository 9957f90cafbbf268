using Grpc.Core;
using Grpc.Net.Client;
using Momento.Protos.CachePing;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client;

/// <summary>
/// A Momento Topics client over one reused gRPC channel (Grpc.Net.Client on the client's own HTTP/2 handler). Create one
/// per process (per Lambda execution environment) and share it; it is thread-safe. Calls report failures as values and do
/// not throw.
/// </summary>
public sealed partial class TopicClient : IDisposable, IAsyncDisposable
{
    private const string ConnectOperation = "The connection check";

    private readonly TopicClientOptions _options;
    private readonly CallHeaders _headers;
    private readonly ChannelHolder _channels;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Uri _endpoint;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TopicClient(CredentialProvider credentials, TopicClientOptions options, EarlyConnection? early)
    {
        _options = options;
        _endpoint = credentials.CacheEndpoint;
        _headers = new CallHeaders(credentials.AuthToken, options.ExtraHeaders);
        var adopted = early?.TryTake(credentials.CacheEndpoint, credentials.IsLocal, options);
        _channels = new ChannelHolder(
            () =>
            {
                var handler = Interlocked.Exchange(ref adopted, null) ?? ClientHandler.Create(credentials.CacheEndpoint, credentials.IsLocal, options);
                _ = handler.Connected.ContinueWith(_ => _connected.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return (CreateChannel(credentials.CacheEndpoint, handler.Handler), handler.Connections);
            },
            options.TimeProvider,
            options.IdleConnectionRecycleAfter);
    }

    /// <summary>
    /// Completes when the client's first connection is up: TCP, and on https the TLS handshake with its certificate
    /// validated and <c>h2</c> negotiated, right before the handler writes the HTTP/2 preface. It never fails; with
    /// <see cref="TopicClientOptions.HttpHandlerFactory"/> it never completes. A Lambda's init can wait for this instead
    /// of the Ping's answer, which then arrives while the first invocation's publish is on its way.
    /// </summary>
    public Task Connected => _connected.Task;

    /// <summary>Counts the channels this client has created (1 at first); each idle recycle adds one.</summary>
    internal int ChannelGeneration => _channels.Generation;

    /// <summary>Creates a client. It does not connect; call <see cref="ConnectAsync"/> to open the connection early.</summary>
    /// <param name="credentials">The key and endpoint.</param>
    /// <param name="options">Timeouts and clock; default: <see cref="TopicClientOptions.Lambda"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is not a positive time span; the message names it.</exception>
    public static TopicClient Create(CredentialProvider credentials, TopicClientOptions? options = null) => Create(credentials, options, early: null);

    /// <summary>Creates a client whose first connection is <paramref name="early"/>'s, when it goes to the same endpoint.</summary>
    /// <param name="credentials">The key and endpoint.</param>
    /// <param name="options">Timeouts and clock; default: <see cref="TopicClientOptions.Lambda"/>.</param>
    /// <param name="early">A connection started before the key was known; null to connect on first use.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is not a positive time span; the message names it.</exception>
    public static TopicClient Create(CredentialProvider credentials, TopicClientOptions? options, EarlyConnection? early)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        options ??= TopicClientOptions.Lambda();
        options.Validate();
        return new TopicClient(credentials, options, early);
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
            var call = new CallOptions(_headers.Create(cacheName: null), deadline, cancellationToken);
            await UnaryCalls.InvokeAsync(lease.Invoker, UnaryCalls.Ping, new _PingRequest(), call).ConfigureAwait(false);
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

    private static GrpcChannel CreateChannel(Uri endpoint, HttpMessageHandler handler) =>
        GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            // The channel is the handler's one user (unary calls and subscriptions alike): it goes with the channel.
            DisposeHttpClient = true,
            // No service config, so grpc-dotnet neither retries nor hedges (it does so only for methods a service config's
            // policy names): a publish is not idempotent, and PublishAsync alone retries it, once, when it certainly was not applied.
            ServiceConfig = null,
            // Identity only: the answers are an empty message or a small topic item, and an uncompressed message is
            // bounded by MaxReceiveMessageSize (grpc-dotnet's 4 MB) as it arrives, with no inflating step after the check.
            CompressionProviders = [],
        });
}
