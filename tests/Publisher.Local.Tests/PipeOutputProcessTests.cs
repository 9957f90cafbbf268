using System.Globalization;
using Momento.Topics.LocalServer;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>The real program on pipes: output whose reader goes away (<c>subscribe | head -1</c>), an event from stdin.</summary>
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

    [Fact]
    public async Task Invoke_EventFromStandardInput_PrintsTheResponse()
    {
        // `sam local invoke --event -` takes the event from stdin; so does invoke.
        using var invoke = LocalProcess.Start(["invoke", "--event", "-"]);
        var process = invoke.Process;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(await File.ReadAllTextAsync(TestEnvironment.Event("rest-publish-text.json")));
        process.StandardInput.Close();

        await process.WaitForExitAsync().DefaultTimeout();
        Assert.Equal(0, process.ExitCode);
        using var response = System.Text.Json.JsonDocument.Parse(await output);
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.DoesNotContain("   at ", await error, StringComparison.Ordinal);
    }
}
