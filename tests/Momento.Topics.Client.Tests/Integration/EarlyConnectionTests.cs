using System.Net;
using System.Net.Sockets;
using Momento.Topics.Client.Tests.Infrastructure;
using Momento.Topics.LocalServer;

namespace Momento.Topics.Client.Tests.Integration;

public sealed class EarlyConnectionTests
{
    [Fact]
    public async Task Create_WithEarlyConnectionToSameEndpoint_FirstCallUsesItAndOpensNoOther()
    {
        await using var server = await TestServer.StartAsync();
        await using var relay = TcpRelay.Start(server.HostPort);

        using var early = EarlyConnection.ToLocal(relay.HostPort);
        await relay.FirstAccepted.DefaultTimeout();
        using var client = TopicClient.Create(CredentialProvider.ForLocal(relay.HostPort), TopicClientOptions.Lambda(), early);
        var connect = await client.ConnectAsync().DefaultTimeout();
        var publish = await client.PublishAsync(TestServer.Cache, "topic", "over the early connection").DefaultTimeout();

        Assert.IsType<TopicConnectResponse.Success>(connect);
        Assert.Equal(new TopicPublishResponse.Success(1), publish);
        Assert.Equal(1, relay.Accepted);
    }

    [Fact]
    public async Task Create_WithEarlyConnectionToOtherEndpoint_ConnectsItself()
    {
        await using var server = await TestServer.StartAsync();
        var relay = TcpRelay.Start(server.HostPort);
        using var early = EarlyConnection.ToLocal(relay.HostPort);
        await relay.FirstAccepted.DefaultTimeout();

        // The relay is gone: a client that used the early connection could not reach the server.
        await relay.DisposeAsync();
        using var client = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort), TopicClientOptions.Lambda(), early);
        var connect = await client.ConnectAsync().DefaultTimeout();

        Assert.IsType<TopicConnectResponse.Success>(connect);
        Assert.Equal(1, relay.Accepted);
    }

    [Fact]
    public async Task Connected_CompletesWhenTheFirstConnectionIsUp_AndCallsShareIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var relay = TcpRelay.Start(server.HostPort);
        using var client = TopicClient.Create(CredentialProvider.ForLocal(relay.HostPort), TopicClientOptions.Lambda());
        var notYet = client.Connected.IsCompleted;

        var connect = client.ConnectAsync();
        await client.Connected.DefaultTimeout();
        var publish = await client.PublishAsync(TestServer.Cache, "topic", "after the connection was up").DefaultTimeout();

        Assert.False(notYet);
        Assert.IsType<TopicConnectResponse.Success>(await connect.DefaultTimeout());
        Assert.Equal(new TopicPublishResponse.Success(1), publish);
        Assert.Equal(1, relay.Accepted);
    }

    [Fact]
    public async Task ToLocal_ConnectionIsUpBeforeTheClientExists_AndNoRequestGoesOutWithoutTheKey()
    {
        await using var server = await TestServer.StartAsync();
        await using var relay = TcpRelay.Start(server.HostPort);

        using var early = EarlyConnection.ToLocal(relay.HostPort);
        // The client acknowledges the server's SETTINGS once its HTTP/2 connection is set up.
        await WaitForAsync(() => relay.FramesToServer().Any(f => f is { Type: SettingsFrame, Ack: true }));
        var beforeTheClient = relay.FramesToServer();
        using var client = TopicClient.Create(CredentialProvider.ForLocal(relay.HostPort), TopicClientOptions.Lambda(), early);
        var publish = await client.PublishAsync(TestServer.Cache, "topic", "on the early connection").DefaultTimeout();

        Assert.DoesNotContain(beforeTheClient, f => f.Type == HeadersFrame);
        Assert.Equal(new TopicPublishResponse.Success(1), publish);
        Assert.Contains(relay.FramesToServer(), f => f.Type == HeadersFrame);
        Assert.Equal(1, relay.Accepted);
    }

    [Fact]
    public async Task ToEndpoint_Tls_HandshakesBeforeTheClientExists_AndAnUntrustedCertificateIsStillTheClientsAnswer()
    {
        // The local server's TLS mode, whose throwaway CA this test process does not trust.
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [TestServer.Cache], Tls = true }).DefaultTimeout();

        using var early = EarlyConnection.ToEndpoint(server.MomentoEndpoint);
        await WaitForAsync(() => server.TlsHandshakes.Count > 0);
        var handshakesBeforeTheClient = server.TlsHandshakes.ToList();
        using var client = TopicClient.Create(CredentialProvider.FromApiKey("Kq7-not-a-real-key", server.MomentoEndpoint), TopicClientOptions.Lambda(), early);
        var response = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();

        Assert.Equal([new TlsHandshake("cache.localhost", "h2")], handshakesBeforeTheClient);
        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.ConnectionError, TopicError.CertificateNotTrusted, false), (error.Code, error.ErrorDetail, error.MayHaveExecuted));
        // The early attempt failed on the certificate; the client's own call met it again and said so.
        Assert.Equal(2, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task Create_WithEarlyConnectionForOtherOptions_ConnectsItself()
    {
        await using var server = await TestServer.StartAsync();
        await using var relay = TcpRelay.Start(server.HostPort);
        using var early = EarlyConnection.ToLocal(relay.HostPort, TopicClientOptions.Lambda() with { ConnectTimeout = TimeSpan.FromSeconds(3) });
        await relay.FirstAccepted.DefaultTimeout();

        using var client = TopicClient.Create(CredentialProvider.ForLocal(relay.HostPort), TopicClientOptions.Lambda(), early);
        var connect = await client.ConnectAsync().DefaultTimeout();

        Assert.IsType<TopicConnectResponse.Success>(connect);
        Assert.Equal(2, relay.Accepted);
    }

    [Fact]
    public void ToEndpoint_PlaintextNotLoopback_Throws()
    {
        var error = Assert.Throws<InvalidCredentialException>(() => EarlyConnection.ToEndpoint("http://192.0.2.1:8080"));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    private const byte HeadersFrame = 0x1;
    private const byte SettingsFrame = 0x4;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "The condition did not come true in 10 s.");
            await Task.Delay(10);
        }
    }

    /// <summary>An HTTP/2 frame's type and whether it carries the ACK flag.</summary>
    private sealed record Frame(byte Type, bool Ack);

    /// <summary>Accepts TCP connections and pipes each to the server, counting them and keeping what clients sent.</summary>
    private sealed class TcpRelay : IAsyncDisposable
    {
        private readonly List<byte> _toServer = [];
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly string _target;
        private readonly TaskCompletionSource _firstAccepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _sockets = [];
        private Task _accepting = Task.CompletedTask;
        private int _accepted;

        private TcpRelay(string target) => _target = target;

        public string HostPort => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public Task FirstAccepted => _firstAccepted.Task;

        public static TcpRelay Start(string target)
        {
            var relay = new TcpRelay(target);
            relay._listener.Start();
            relay._accepting = relay.AcceptAsync();
            return relay;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            lock (_sockets)
            {
                _sockets.ForEach(s => s.Dispose());
            }

            await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                _firstAccepted.TrySetResult();
                var colon = _target.LastIndexOf(':');
                var outbound = new TcpClient();
                await outbound.ConnectAsync(_target[..colon], int.Parse(_target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(inbound);
                    _sockets.Add(outbound);
                }

                _ = Pipe(inbound.GetStream(), outbound.GetStream(), _toServer);
                _ = Pipe(outbound.GetStream(), inbound.GetStream(), null);
            }
        }

        /// <summary>The frames clients sent, after the connection preface (one connection's worth: these tests open one).</summary>
        public IReadOnlyList<Frame> FramesToServer()
        {
            byte[] bytes;
            lock (_toServer)
            {
                bytes = [.. _toServer];
            }

            var frames = new List<Frame>();
            for (var at = 24; at + 9 <= bytes.Length; at += 9 + ((bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2]))
            {
                frames.Add(new Frame(bytes[at + 3], bytes[at + 3] == SettingsFrame && (bytes[at + 4] & 0x1) != 0));
            }

            return frames;
        }

        private async Task Pipe(NetworkStream from, NetworkStream to, List<byte>? record)
        {
            try
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    if (record is not null)
                    {
                        lock (record)
                        {
                            record.AddRange(buffer.AsSpan(0, read));
                        }
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Either side closed: the relay's job for this connection is over.
            }
        }
    }
}
