using Momento.Topics.LocalServer;
using Publisher.DeploymentCheck.Tests.Infrastructure;
using Publisher.Local;

namespace Publisher.DeploymentCheck.Tests;

/// <summary><c>verify</c> end to end against the local service, which serves /verify with the subscriber handler in-process.</summary>
public sealed class VerifyCommandTests
{
    private const string ApiKey = LocalStack.ApiKey;

    [Fact]
    public async Task Verify_HealthyService_ExitsZeroAndPrintsTheRoundTrip()
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options());

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", ApiKey, "--timeout-seconds", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("OK: probe 'verify-", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"round trip \d+ ms \(\d+ probe\(s\) sent\)", run.Output);
        Assert.DoesNotContain(ApiKey, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ExplicitTopic_UsesItAndSucceeds()
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options());

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString().TrimEnd('/'), "--api-key", ApiKey, "--topic", "health-check", "--timeout-seconds", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("with topic 'health-check'", run.Output, StringComparison.Ordinal);
        Assert.Contains("OK:", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData(null)]
    public async Task Verify_WrongOrMissingApiKey_ExitsOneWithAuthRejected(string? key)
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options());
        string[] args = key is null
            ? ["verify", "--url", service.ApiUrl.ToString(), "--timeout-seconds", "5"]
            : ["verify", "--url", service.ApiUrl.ToString(), "--api-key", key, "--timeout-seconds", "5"];

        var run = await CliRun.RunAsync(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("auth rejected", run.Output, StringComparison.Ordinal);
        Assert.Contains("403", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SubscriberOnUndeclaredCache_ExitsOneWithTheSubscribersProblem()
    {
        // The embedded server declares only the publisher's cache: the subscriber's subscription gets NOT_FOUND.
        await using var service = await LocalService.StartAsync(LocalStack.Options() with { SubscriberCacheName = "other-cache" });

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", ApiKey, "--timeout-seconds", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("verify failed with status 502", run.Output, StringComparison.Ordinal);
        Assert.Contains("cannot reach its Momento cache", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SubscriberWatchesAnotherCache_ExitsOneWithProbeNotSeen()
    {
        // A mismatched deployment that fails silently: both caches exist, publishes succeed, the subscriber listens elsewhere.
        await using var topics = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions
        {
            Port = 0,
            Caches = ["publish-cache", "subscribe-cache"],
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        });
        var environment = new Dictionary<string, string> { ["MOMENTO_LOCAL_ENDPOINT"] = topics.HostPort };
        await using var service = await LocalService.StartAsync(LocalStack.Options() with
        {
            Environment = environment.GetValueOrDefault,
            CacheName = "publish-cache",
            SubscriberCacheName = "subscribe-cache",
        });
        Assert.Null(service.TopicsServer);

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", ApiKey, "--timeout-seconds", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"probe not seen within 2 s: [1-9]\d* probe\(s\) published, the subscriber was subscribed and saw 0 other item\(s\)", run.Output);
    }

    [Fact]
    public async Task Verify_TopicsServerStopped_ExitsOneWithPublishFailed503()
    {
        await using var service = await LocalService.StartAsync(LocalStack.Options());
        await service.TopicsServer!.StopAsync();

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", ApiKey, "--timeout-seconds", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("publish failed with status 503", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TopicOutsideThePublishersAllowlist_ExitsOneWithPublishFailed403NotAuth()
    {
        var environment = new Dictionary<string, string> { ["ALLOWED_TOPIC_PREFIXES"] = "orders-" };
        await using var service = await LocalService.StartAsync(LocalStack.Options() with { Environment = environment.GetValueOrDefault });

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", ApiKey, "--timeout-seconds", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("publish failed with status 403: The topic name does not start with any of the allowed prefixes", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("auth rejected", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TopicInsideThePublishersAllowlist_Succeeds()
    {
        var environment = new Dictionary<string, string> { ["ALLOWED_TOPIC_PREFIXES"] = "orders-" };
        await using var service = await LocalService.StartAsync(LocalStack.Options() with { Environment = environment.GetValueOrDefault });

        var run = await CliRun.RunAsync("verify", "--url", service.ApiUrl.ToString(), "--api-key", ApiKey, "--topic", "orders-probe", "--timeout-seconds", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("OK:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NothingListening_ExitsOneWithCannotReach()
    {
        // Bind and release a port so nothing listens there.
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var run = await CliRun.RunAsync("verify", "--url", $"http://127.0.0.1:{port}", "--api-key", ApiKey, "--timeout-seconds", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot reach http://127.0.0.1:", run.Output, StringComparison.Ordinal);
    }
}
