using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Local.Commands;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary><c>subscribe</c> prints each event as it arrives, until cancelled.</summary>
public sealed class SubscribeCommandTests
{
    [Fact]
    public async Task Subscribe_ValuesPublished_PrintsAnItemLineForEach()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(50) });
        await using var publisher = TopicClient.Create(CredentialProvider.ForLocal(server.HostPort));
        var output = new LineWriter();
        using var stop = new CancellationTokenSource();
        var heartbeat = output.WaitForLineAsync(line => line == "heartbeat");
        var binaryLine = output.WaitForLineAsync(line => line.StartsWith("item #2", StringComparison.Ordinal));

        var run = Cli.RunAsync(["subscribe", "--topic", "watched", "--topics-port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            output, TextWriter.Null, TestEnvironment.None, stop.Token);
        await heartbeat.DefaultTimeout();
        Assert.IsType<TopicPublishResponse.Success>(await publisher.PublishAsync("default-cache", "watched", "hello, watcher"));
        Assert.IsType<TopicPublishResponse.Success>(await publisher.PublishAsync("default-cache", "watched", new byte[] { 1, 2, 3 }));
        await binaryLine.DefaultTimeout();
        await stop.CancelAsync();
        var exitCode = await run.DefaultTimeout();

        Assert.Equal(0, exitCode);
        var lines = output.Lines;
        Assert.StartsWith($"Subscribing to 'watched' in cache 'default-cache' at http://127.0.0.1:{server.Port}", lines[0], StringComparison.Ordinal);
        var items = lines.Where(line => line.StartsWith("item ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, items.Count);
        Assert.Matches(@"^item #1 \(page \d+\) text: hello, watcher$", items[0]);
        Assert.Matches(@"^item #2 \(page \d+\) bytes\[3\]: AQID$", items[1]);
    }

    [Fact]
    public async Task Subscribe_UnknownCache_PrintsTheErrorAndExitsOne()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0 });
        var output = new LineWriter();

        var exitCode = await Cli.RunAsync(
            ["subscribe", "--topic", "t", "--cache", "missing-cache", "--topics-port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            output, TextWriter.Null, TestEnvironment.None, CancellationToken.None).DefaultTimeout();

        Assert.Equal(1, exitCode);
        Assert.Contains(output.Lines, line => line.StartsWith("error NOT_FOUND_ERROR:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subscribe_NothingListeningOnThePort_SaysSoOnStderrAndKeepsTrying()
    {
        // Bind and release a port so nothing listens there.
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var output = new LineWriter();
        var error = new LineWriter();
        using var stop = new CancellationTokenSource();
        var notice = error.WaitForLineAsync(line => line.StartsWith($"No answer from http://127.0.0.1:{port}/ yet; still trying.", StringComparison.Ordinal));

        var run = Cli.RunAsync(["subscribe", "--topic", "t", "--topics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, error, TestEnvironment.None, stop.Token);
        await notice.DefaultTimeout();
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();

        Assert.Equal(0, await run.DefaultTimeout());
        Assert.Single(error.Lines);
    }

    [Fact]
    public void Describe_EachEventKind_ReadsAsOneLine()
    {
        Assert.Equal("item #7 (page 2) text: hi", SubscribeCommand.Describe(new TopicEvent.TextItem("hi", 7, 2, string.Empty)));
        Assert.Equal("item #8 (page 2) bytes[2]: //8=", SubscribeCommand.Describe(new TopicEvent.BinaryItem([0xFF, 0xFF], 8, 2, string.Empty)));
        Assert.Equal("heartbeat", SubscribeCommand.Describe(TopicEvent.Heartbeat.Instance));
        Assert.Null(SubscribeCommand.Describe(TopicEvent.Heartbeat.Instance, hideHeartbeats: true));
        Assert.Equal("discontinuity: last #4, next #1 (page 9)", SubscribeCommand.Describe(new TopicEvent.Discontinuity(4, 1, 9)));
    }
}
