using System.Globalization;
using Momento.Topics.LocalServer;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>The real program with its output on a pipe whose reader goes away, as in <c>subscribe | head -1</c>.</summary>
public sealed class PipeOutputProcessTests
{
    [Fact]
    public async Task Subscribe_ReaderOfItsOutputGoesAway_ExitsZeroQuietly()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(50) });
        using var subscribe = LocalProcess.Start(["subscribe", "--topic", "piped", "--topics-port", server.Port.ToString(CultureInfo.InvariantCulture)]);
        var process = subscribe.Process;
        var error = process.StandardError.ReadToEndAsync();
        Assert.StartsWith("Subscribing to 'piped'", await process.StandardOutput.ReadLineAsync().DefaultTimeout(), StringComparison.Ordinal);

        // `head -1` is done: the pipe's read end closes, and the next heartbeat finds nobody to read it.
        process.StandardOutput.Close();

        await process.WaitForExitAsync().DefaultTimeout();
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Empty, await error);
    }
}
