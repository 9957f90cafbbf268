using System.Net.Sockets;
using Grpc.Core;
using Momento.Protos.CachePing;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task StopAsync_OpenSubscription_EndsWithUnavailable()
    {
        await using var harness = await Harness.StartAsync(new LocalTopicsServerOptions { HeartbeatInterval = TimeSpan.FromMinutes(1) });
        using var subscription = await harness.SubscribeLiveAsync("t");

        await harness.Server.StopAsync().DefaultTimeout();
        var ex = await subscription.ErrorAsync();

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task StartAsync_Defaults_EndpointHostPortAndPortAgree()
    {
        await using var harness = await Harness.StartAsync();

        Assert.NotEqual(0, harness.Server.Port);
        Assert.Equal($"127.0.0.1:{harness.Server.Port}", harness.Server.HostPort);
        Assert.Equal(new Uri($"http://127.0.0.1:{harness.Server.Port}"), harness.Server.Endpoint);
    }

    [Fact]
    public async Task StartAsync_BadOptions_ThrowsNamingTheOption()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [] }));
        var interval = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, HeartbeatInterval = TimeSpan.Zero }));

        Assert.Equal("Caches", ex.ParamName);
        Assert.Equal("HeartbeatInterval", interval.ParamName);
    }

    [Fact]
    public async Task ConnectionsAccepted_TwoChannels_CountsTwoConnections()
    {
        await using var harness = await Harness.StartAsync();
        Assert.Equal(0, harness.Server.ConnectionsAccepted);

        await harness.Ping.PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout();
        await harness.Ping.PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout();
        var afterFirst = harness.Server.ConnectionsAccepted;
        await new Ping.PingClient(harness.NewChannel()).PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal(1, afterFirst);
        Assert.Equal(2, harness.Server.ConnectionsAccepted);
    }

    [Fact]
    public async Task GarbageBytesOnSocket_OtherClientsKeepWorking()
    {
        await using var harness = await Harness.StartAsync();
        using var subscription = await harness.SubscribeLiveAsync("t", client: harness.NewClient());

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(System.Net.IPAddress.Loopback, harness.Server.Port).DefaultTimeout();
            var garbage = new byte[4096];
            new Random(42).NextBytes(garbage);
            var stream = tcp.GetStream();
            await stream.WriteAsync(garbage).AsTask().DefaultTimeout();
            // The server answers the broken preface by closing; read until it does.
            var buffer = new byte[1024];
            try
            {
                while (await stream.ReadAsync(buffer).AsTask().DefaultTimeout() > 0)
                {
                }
            }
            catch (IOException)
            {
                // A reset is as good as a close.
            }
        }

        await harness.PublishTextAsync("t", "still-here");
        await harness.Ping.PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal("still-here", (await subscription.NextItemAsync()).Value.Text);
        Assert.True(harness.Server.ConnectionsAccepted >= 3);
    }
}
