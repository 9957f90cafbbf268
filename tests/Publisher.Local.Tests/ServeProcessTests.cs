using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>The real program: what it prints is enough to publish and watch, and SIGTERM stops it cleanly.</summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_PrintedCurlPublishes_SubscribeShowsIt_AndSigtermStopsIt()
    {
        var stdout = new LineWriter();
        var (serve, apiUrl) = await LocalProcess.ServeAsync(stdout);
        using var _ = serve;
        var process = serve.Process;
        var lines = stdout.Lines;
        Assert.NotEqual(0, apiUrl.Port);
        var watch = Assert.Single(lines, l => l.Contains("-- subscribe --topic my-topic --topics-port", StringComparison.Ordinal));
        var topicsPort = int.Parse(watch[(watch.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        Assert.NotEqual(0, topicsPort);
        var curl = CurlLine().Match(Assert.Single(lines, l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal)));
        Assert.True(curl.Success);
        Assert.Equal(apiUrl.ToString().TrimEnd('/') + "/topics", curl.Groups["url"].Value);

        // Watch the topic the printed curl publishes to, with the printed port.
        var watched = new LineWriter();
        using var stopWatching = new CancellationTokenSource();
        var heartbeat = watched.WaitForLineAsync(line => line == "heartbeat");
        var item = watched.WaitForLineAsync(line => line.StartsWith("item #", StringComparison.Ordinal));
        var subscribe = Cli.RunAsync(["subscribe", "--topic", "my-topic", "--topics-port", topicsPort.ToString(CultureInfo.InvariantCulture)],
            watched, TextWriter.Null, TestEnvironment.None, stopWatching.Token);
        await heartbeat.WaitAsync(TimeSpan.FromSeconds(10));

        // The same request the printed curl sends.
        using var http = new HttpClient();
        using var content = new StringContent(curl.Groups["body"].Value, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(curl.Groups["type"].Value);
        using var response = await http.PostAsync(new Uri(curl.Groups["url"].Value), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal("item #1 (page", (await item.DefaultTimeout())[..13]);
        Assert.EndsWith("text: hello from curl", await item, StringComparison.Ordinal);
        await stopWatching.CancelAsync();
        Assert.Equal(0, await subscribe.DefaultTimeout());

        // SIGTERM (Process.Kill is SIGKILL): the program stops its hosts and exits 0.
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, process.ExitCode);
    }

    [GeneratedRegex(@"curl -s -X POST (?<url>\S+) -H 'Content-Type: (?<type>[^']+)' -d '(?<body>[^']+)'$")]
    private static partial Regex CurlLine();
}
