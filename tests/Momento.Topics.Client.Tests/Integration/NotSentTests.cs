using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

/// <summary>
/// A publish that ends before its message was handed to a connection was certainly not applied, whatever ended it
/// (its deadline, the caller, or the handler's connect timeout); one that ends after may have been.
/// </summary>
public sealed class NotSentTests
{
    [Fact]
    public async Task PublishAsync_DeadlineDuringTlsHandshake_DeadlineExceededNotExecuted()
    {
        await using var server = new SilentServer();
        using var client = CreateTlsClient(server.Port, connectTimeout: Timeout.InfiniteTimeSpan);

        var response = await client.PublishAsync("cache", "topic", "value", TimeSpan.FromMilliseconds(500)).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((StatusCode.DeadlineExceeded, false), (error.GrpcStatus, error.MayHaveExecuted));
        Assert.Equal(1, await server.AcceptedAsync(1));
    }

    [Fact]
    public async Task PublishAsync_DeadlineWhileAwaitingTheAnswer_DeadlineExceededMayHaveExecuted()
    {
        // Plaintext HTTP/2 sends the request without waiting for the server, which here reads it and never answers.
        await using var server = new SilentServer();
        using var client = TopicClient.Create(CredentialProvider.ForLocal($"127.0.0.1:{server.Port}"));

        // Long enough that a loaded machine still hands the request to the connection before the deadline.
        var response = await client.PublishAsync("cache", "topic", "value", TimeSpan.FromSeconds(2)).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.TimeoutError, StatusCode.DeadlineExceeded, true), (error.Code, error.GrpcStatus, error.MayHaveExecuted));
    }

    [Fact]
    public async Task PublishAsync_CallerCancelsDuringTlsHandshake_CancelledNotExecuted()
    {
        await using var server = new SilentServer();
        using var client = CreateTlsClient(server.Port, connectTimeout: Timeout.InfiniteTimeSpan);
        using var cancel = new CancellationTokenSource();

        var publish = client.PublishAsync("cache", "topic", "value", cancellationToken: cancel.Token);
        await server.BytesReceived.DefaultTimeout(); // the ClientHello, which the server leaves unanswered
        await cancel.CancelAsync();

        var error = Assert.IsType<TopicPublishResponse.Error>(await publish.DefaultTimeout()).TopicError;
        Assert.Equal((MomentoErrorCode.CancelledError, false), (error.Code, error.MayHaveExecuted));
    }

    [Fact]
    public async Task PublishAsync_ConnectTimeoutBeforeDeadline_ConnectionErrorRetriedOnceNotExecuted()
    {
        await using var server = new SilentServer();
        using var client = CreateTlsClient(server.Port, connectTimeout: TimeSpan.FromMilliseconds(200));

        var response = await client.PublishAsync("cache", "topic", "value", TimeSpan.FromSeconds(10)).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.ConnectionError, false), (error.Code, error.MayHaveExecuted));
        Assert.Equal(2, await server.AcceptedAsync(2));
    }

    [Fact]
    public async Task PublishAsync_ConnectionClosedAfterTheRequestArrived_MayHaveExecutedNotRetried()
    {
        await using var server = new SilentServer(closeAfter: new _PublishRequest { CacheName = "cache", Topic = "topic", Value = new _TopicValue { Text = "value-Qz4" } }.ToByteArray());
        using var client = TopicClient.Create(CredentialProvider.ForLocal($"127.0.0.1:{server.Port}"));

        var response = await client.PublishAsync("cache", "topic", "value-Qz4").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.True(error.MayHaveExecuted, error.Message);
        Assert.NotEqual(MomentoErrorCode.ConnectionError, error.Code);
        Assert.Equal(1, await server.AcceptedAsync(1));
    }

    [Theory]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable)]
    [InlineData(SocketError.ConnectionReset)]
    public async Task PublishAsync_SocketErrorAfterTheRequestWasWritten_MayHaveExecutedNotRetried(SocketError error)
    {
        // An established connection can fail with "unreachable" too (ICMP, or retransmissions timing out): the request is
        // already out then, so only the connection's state when the error came decides, not the error's code.
        await using var server = await TestServer.StartAsync();
        var marker = Encoding.UTF8.GetBytes("value-Wr7");
        var connects = 0;
        using var client = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort), new TopicClientOptions
        {
            HttpHandlerFactory = () => new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(IPAddress.Loopback, server.Port, ct);
                    var stream = new NetworkStream(socket, ownsSocket: true);
                    return Interlocked.Increment(ref connects) == 1 ? new FailAfterWrite(stream, marker, error) : stream;
                },
            },
        });

        var response = await client.PublishAsync(TestServer.Cache, "topic", "value-Wr7").DefaultTimeout();

        var topicError = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.True(topicError.MayHaveExecuted, topicError.Message);
        Assert.NotEqual(MomentoErrorCode.ConnectionError, topicError.Code);
        Assert.Equal(1, Volatile.Read(ref connects));
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    /// <summary>A TLS endpoint whose connections go to <paramref name="port"/> on 127.0.0.1.</summary>
    private static TopicClient CreateTlsClient(int port, TimeSpan connectTimeout) =>
        TopicClient.Create(CredentialProvider.FromApiKey(TestKeys.V1("key", "cell.example.invalid")), new TopicClientOptions
        {
            HttpHandlerFactory = () => new SocketsHttpHandler
            {
                ConnectTimeout = connectTimeout,
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });

    /// <summary>
    /// Accepts TCP connections on 127.0.0.1 and reads whatever arrives, never answering; given <c>closeAfter</c>, it
    /// closes a connection once those bytes (a request message) have arrived on it.
    /// </summary>
    private sealed class SilentServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _bytesReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim _accepts = new(0);
        private readonly byte[]? _closeAfter;
        private readonly Task _accepting;
        private int _accepted;

        public SilentServer(byte[]? closeAfter = null)
        {
            _closeAfter = closeAfter;
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Waits for <paramref name="count"/> connections, then says how many there were.</summary>
        public async Task<int> AcceptedAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _accepts.WaitAsync().DefaultTimeout();
            }

            return Volatile.Read(ref _accepted);
        }

        /// <summary>Completes when the first bytes of any connection have arrived.</summary>
        public Task BytesReceived => _bytesReceived.Task;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
            _accepts.Dispose();
        }

        private async Task AcceptAsync()
        {
            var connections = new List<Task>();
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    _accepts.Release();
                    connections.Add(ReadAsync(socket));
                }
            }
            // Stopped: the listener may already be stopped when the loop comes back to accept (InvalidOperationException).
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
            }

            await Task.WhenAll(connections);
        }

        private async Task ReadAsync(Socket socket)
        {
            using (socket)
            {
                var buffer = new byte[4096];
                using var seen = new MemoryStream();
                try
                {
                    int read;
                    while ((read = await socket.ReceiveAsync(buffer, _stop.Token)) > 0)
                    {
                        _bytesReceived.TrySetResult();
                        seen.Write(buffer, 0, read);
                        if (_closeAfter is not null && seen.GetBuffer().AsSpan(0, (int)seen.Length).IndexOf(_closeAfter) >= 0)
                        {
                            return;
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                }
            }
        }
    }

    /// <summary>
    /// A connection that fails every read with <c>error</c> as soon as a write carrying <c>marker</c> (the request's
    /// message) has gone out whole, as a connection that breaks after the request was sent.
    /// </summary>
    private sealed class FailAfterWrite(Stream inner, byte[] marker, SocketError error) : Stream
    {
        private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_failed.Task.IsCompleted)
            {
                var read = inner.ReadAsync(buffer, cancellationToken).AsTask();
                if (await Task.WhenAny(read, _failed.Task) == read)
                {
                    return await read;
                }
            }

            throw new IOException("Unable to read data from the transport connection.", new SocketException((int)error));
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            if (buffer.Span.IndexOf(marker) >= 0)
            {
                _failed.TrySetResult();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
