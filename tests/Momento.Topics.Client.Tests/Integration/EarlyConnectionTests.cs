using System.Net;
using System.Net.Sockets;
using Momento.Topics.Client.Tests.Infrastructure;

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
    public void ToEndpoint_PlaintextNotLoopback_Throws()
    {
        var error = Assert.Throws<InvalidCredentialException>(() => EarlyConnection.ToEndpoint("http://192.0.2.1:8080"));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Accepts TCP connections and pipes each to the server, counting them.</summary>
    private sealed class TcpRelay : IAsyncDisposable
    {
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

                _ = Pipe(inbound.GetStream(), outbound.GetStream());
                _ = Pipe(outbound.GetStream(), inbound.GetStream());
            }
        }

        private async Task Pipe(NetworkStream from, NetworkStream to)
        {
            try
            {
                await from.CopyToAsync(to, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Either side closed: the relay's job for this connection is over.
            }
        }
    }
}
