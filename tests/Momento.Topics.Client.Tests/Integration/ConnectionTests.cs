using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

public sealed class ConnectionTests
{
    [Fact]
    public async Task ConnectAsync_LocalServer_OpensOneConnectionThatPublishesReuse()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.CreateClient(server);

        var connect = await client.ConnectAsync().DefaultTimeout();

        Assert.IsType<TopicConnectResponse.Success>(connect);
        Assert.Equal(1, server.ConnectionsAccepted);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new TopicPublishResponse.Success(1), await client.PublishAsync(TestServer.Cache, "topic", $"v{i}").DefaultTimeout());
        }

        Assert.Equal(1, server.ConnectionsAccepted);
        Assert.Equal(1, client.ChannelGeneration);
    }

    [Fact]
    public async Task SubscribeAsync_AfterPublishes_SharesTheirConnectionAndSeesThem()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.CreateClient(server);
        Assert.IsType<TopicConnectResponse.Success>(await client.ConnectAsync().DefaultTimeout());

        // The subscription's gRPC channel is built on first use over the client's own handler: no second connection.
        await using var events = client.SubscribeAsync(TestServer.Cache, "shared").GetAsyncEnumerator();
        await events.ExpectHeartbeatAsync();
        Assert.Equal(new TopicPublishResponse.Success(1), await client.PublishAsync(TestServer.Cache, "shared", "after").DefaultTimeout());

        Assert.Equal("after", Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync()).Value);
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task ConnectAsync_PingFails_ReturnsError()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.CreateClient(server, faults: TestServer.Faults(("return-error", "unavailable"), ("error-rpcs", "ping")));

        var connect = await client.ConnectAsync().DefaultTimeout();

        var error = Assert.IsType<TopicConnectResponse.Error>(connect).TopicError;
        Assert.Equal(MomentoErrorCode.ServerUnavailable, error.Code);
    }

    [Fact]
    public async Task PublishAsync_AfterIdleLongerThanRecycle_UsesNewConnection()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.CreateClient(server, new TopicClientOptions { TimeProvider = time });
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", "before").DefaultTimeout());
        Assert.Equal((1, 1L), (client.ChannelGeneration, server.ConnectionsAccepted));

        time.Advance(TimeSpan.FromMinutes(3));
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", "still fresh").DefaultTimeout());
        Assert.Equal((1, 1L), (client.ChannelGeneration, server.ConnectionsAccepted));

        time.Advance(TopicClientOptions.Lambda().IdleConnectionRecycleAfter + TimeSpan.FromSeconds(1));
        var after = await client.PublishAsync(TestServer.Cache, "topic", "after").DefaultTimeout();

        Assert.Equal(new TopicPublishResponse.Success(1), after);
        Assert.Equal((2, 2L), (client.ChannelGeneration, server.ConnectionsAccepted));
    }

    [Fact]
    public async Task PublishAsync_IdleClockButSubscriptionActive_KeepsConnection()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.CreateClient(server, new TopicClientOptions { TimeProvider = time });
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        await using var events = client.SubscribeAsync(TestServer.Cache, "busy", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await events.ExpectHeartbeatAsync();

        time.Advance(TimeSpan.FromMinutes(10));
        var response = await client.PublishAsync(TestServer.Cache, "busy", "value").DefaultTimeout();

        Assert.Equal(new TopicPublishResponse.Success(1), response);
        Assert.Equal((1, 1L), (client.ChannelGeneration, server.ConnectionsAccepted));
        Assert.Equal("value", Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync()).Value);
    }

    [Fact]
    public async Task PublishAsync_NothingListening_ConnectionErrorNotExecuted()
    {
        var port = UnusedPort();
        using var client = TopicClient.Create(CredentialProvider.ForLocal($"127.0.0.1:{port}"));

        var response = await client.PublishAsync(TestServer.Cache, "topic", "Qv7-private-payload").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.ConnectionError, error.Code);
        Assert.False(error.MayHaveExecuted);
        Assert.DoesNotContain("Qv7-private-payload", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_ServerStopped_ConnectionErrorNotExecuted()
    {
        var server = await TestServer.StartAsync();
        using var client = TestServer.CreateClient(server);
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", "first").DefaultTimeout());
        await server.DisposeAsync();
        await ObserveConnectionLostAsync(client);

        var response = await client.PublishAsync(TestServer.Cache, "topic", "second").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.True(error.Code == MomentoErrorCode.ConnectionError, error.Message);
        Assert.Equal(MomentoErrorCode.ConnectionError, error.Code);
        Assert.False(error.MayHaveExecuted);
    }

    [Fact]
    public async Task PublishAsync_ServerRestartedOnSamePort_VeryNextPublishSucceedsAndDownPublishesFailFast()
    {
        var server = await TestServer.StartAsync();
        var port = server.Port;
        // A deadline far beyond the test's own timeout: a publish that waited for it instead of failing fast fails the test.
        using var client = TestServer.CreateClient(server, new TopicClientOptions { PublishTimeout = TimeSpan.FromMinutes(2) });
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", "before").DefaultTimeout());
        await server.DisposeAsync();
        await ObserveConnectionLostAsync(client);

        // Each of these tries a new connection, which is refused at once.
        for (var i = 0; i < 3; i++)
        {
            var down = await client.PublishAsync(TestServer.Cache, "topic", "while down").DefaultTimeout();
            var error = Assert.IsType<TopicPublishResponse.Error>(down).TopicError;
            Assert.Equal((MomentoErrorCode.ConnectionError, StatusCode.Unavailable, false), (error.Code, error.GrpcStatus, error.MayHaveExecuted));
        }

        await using var restarted = await TestServer.StartAsync(port: port);
        var after = await client.PublishAsync(TestServer.Cache, "topic", "after").DefaultTimeout();

        // Published on the first attempt, not by the retry: no reconnect backoff stands in the way.
        Assert.Equal(new TopicPublishResponse.Success(Attempts: 1), after);
    }

    [Fact]
    public async Task SubscribeAsync_ServerRestartedOnSamePort_ResubscribesOntoTheNewIncarnation()
    {
        var server = await TestServer.StartAsync();
        var port = server.Port;
        using var client = TestServer.CreateClient(server);
        using var cts = new CancellationTokenSource(TaskTimeouts.Default);
        await using var events = client.SubscribeAsync(TestServer.Cache, "restart", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await events.ExpectHeartbeatAsync();
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "restart", "before").DefaultTimeout());
        var before = Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());
        await server.DisposeAsync();

        await using var restarted = await TestServer.StartAsync(port: port);
        // The restarted server knows nothing of the old page: the resume is answered with a discontinuity.
        var gap = Assert.IsType<TopicEvent.Discontinuity>(await events.NextNonHeartbeatAsync());
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "restart", "after").DefaultTimeout());
        var after = Assert.IsType<TopicEvent.TextItem>(await events.NextNonHeartbeatAsync());

        Assert.Equal(1UL, gap.LastSequenceNumber);
        Assert.NotEqual(before.SequencePage, gap.NewSequencePage);
        Assert.Equal(("after", 1UL, gap.NewSequencePage), (after.Value, after.SequenceNumber, after.SequencePage));
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ConnectionError()
    {
        using var client = TopicClient.Create(CredentialProvider.ForLocal($"127.0.0.1:{UnusedPort()}"));

        var connect = await client.ConnectAsync().DefaultTimeout();

        Assert.Equal(MomentoErrorCode.ConnectionError, Assert.IsType<TopicConnectResponse.Error>(connect).TopicError.Code);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A call racing the server's shutdown can go out on the dying connection and fail as "maybe executed", which is
    /// right for it but not what these tests are about: a connection check (idempotent) takes that race first.
    /// </summary>
    private static async Task ObserveConnectionLostAsync(TopicClient client)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await client.ConnectAsync().DefaultTimeout() is TopicConnectResponse.Error)
            {
                return;
            }
        }

        Assert.Fail("The client still reaches the stopped server.");
    }
}
