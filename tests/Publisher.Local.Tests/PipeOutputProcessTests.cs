using System.Diagnostics;
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
        Assert.True(File.Exists(TestEnvironment.PublisherLocalDll), $"Build src/Publisher.Local first: {TestEnvironment.PublisherLocalDll} is missing.");
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(50) });
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { TestEnvironment.PublisherLocalDll, "subscribe", "--topic", "piped", "--topics-port", server.Port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "MOMENTO_API_KEY", "MOMENTO_ENDPOINT", "MOMENTO_CACHE_NAME" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            Assert.StartsWith("Subscribing to 'piped'", await process.StandardOutput.ReadLineAsync().DefaultTimeout(), StringComparison.Ordinal);

            // `head -1` is done: the pipe's read end closes, and the next heartbeat finds nobody to read it.
            process.StandardOutput.Close();

            await process.WaitForExitAsync().DefaultTimeout();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(string.Empty, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
