using System.Text.Json;
using Lambda.Runtime.Emulator;
using Publisher.Contracts;
using Subscriber.Function.Tests.Infrastructure;

namespace Subscriber.Function.Tests;

/// <summary>The subscriber's real executable (JIT build, or the AOT binary in .ci/run) under the tests' Runtime API.</summary>
[Trait("Category", "Bootstrap")]
public sealed class SubscriberBootstrapTests
{
    private static readonly FunctionBootstrap Function = FunctionBootstrap.Subscriber(typeof(SubscriberBootstrapTests).Assembly);

    [Fact]
    public async Task Bootstrap_DirectVerifyInvocation_ReportsTheItemTheTestPublished()
    {
        await using var harness = await SubscriberHarness.StartAsync();
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        await using var bootstrap = Function.Start(runtimeApi, Environment(new()
        {
            [EnvironmentVariables.LocalEndpoint] = harness.Server.HostPort,
            [EnvironmentVariables.CacheName] = SubscriberHarness.Cache,
        }));
        var topic = SubscriberHarness.NewTopic();
        const string probe = "probe-from-test";

        var invocation = runtimeApi.InvokeAsync($$"""{"topic":"{{topic}}","listenMs":10000,"equals":"{{probe}}"}""", TimeSpan.FromSeconds(20));
        // The process starts and subscribes on its own schedule: publish the probe until the function has seen it.
        while (!invocation.IsCompleted)
        {
            await harness.PublishAsync(topic, probe);
            await Task.WhenAny(invocation, Task.Delay(100));
        }

        var result = await invocation.DefaultTimeout();
        var output = string.Join('\n', bootstrap.StdoutLines.Concat(bootstrap.StderrLines));
        Assert.False(result.IsError, result.ErrorMessage + "\n" + output);
        Assert.False(result.TimedOut, output);
        using var document = JsonDocument.Parse(result.ResponseBody!);
        var root = document.RootElement;
        Assert.True(root.GetProperty("conditionMet").GetBoolean());
        Assert.Equal("equals", root.GetProperty("condition").GetString());
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.Equal(probe, item.GetProperty("text").GetString());
        Assert.Contains(bootstrap.StdoutLines, line => line.Contains("\"message\":\"verification\"", StringComparison.Ordinal) && line.Contains(topic, StringComparison.Ordinal));
        Assert.DoesNotContain(bootstrap.StdoutLines, line => line.Contains(probe, StringComparison.Ordinal));
        Assert.False(bootstrap.HasExited);
    }

    [Fact]
    public async Task Bootstrap_MaxConcurrency_SessionsListenAtOnceEachReportsItsOwnTopicOverOneConnection()
    {
        const int Sessions = 8;
        await using var harness = await SubscriberHarness.StartAsync();
        await using var relay = new GatedRelay(harness.Server.HostPort);
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync(Sessions);
        await using var bootstrap = Function.Start(runtimeApi, Environment(new()
        {
            [EnvironmentVariables.LocalEndpoint] = relay.HostPort,
            [EnvironmentVariables.CacheName] = SubscriberHarness.Cache,
            ["AWS_LAMBDA_MAX_CONCURRENCY"] = Sessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        await runtimeApi.WhenPollingAsync(Sessions).WaitAsync(TimeSpan.FromSeconds(30));
        var topics = Enumerable.Range(0, Sessions).Select(_ => SubscriberHarness.NewTopic()).ToList();

        var sessions = topics.Select(topic => runtimeApi.InvokeAsync($$"""{"topic":"{{topic}}","listenMs":10000,"equals":"probe-{{topic}}"}""", TimeSpan.FromSeconds(20))).ToList();
        // Every session is in flight before any probe is published: they cannot but listen at the same time.
        using (var waiting = new CancellationTokenSource(TaskTimeouts.Default))
        {
            while (runtimeApi.PeakConcurrency < Sessions)
            {
                await Task.Delay(10, waiting.Token);
            }
        }

        // Each session subscribes on its own schedule: publish each probe until its session has seen it.
        while (sessions.Any(s => !s.IsCompleted))
        {
            foreach (var (topic, session) in topics.Zip(sessions).Where(pair => !pair.Second.IsCompleted))
            {
                await harness.PublishAsync(topic, "probe-" + topic);
            }

            await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(100));
        }

        var results = await Task.WhenAll(sessions).DefaultTimeout();
        var output = string.Join('\n', bootstrap.StdoutLines.Concat(bootstrap.StderrLines));
        for (var i = 0; i < Sessions; i++)
        {
            Assert.False(results[i].IsError || results[i].TimedOut, results[i].ErrorMessage + "\n" + output);
            var root = JsonDocument.Parse(results[i].ResponseBody!).RootElement;
            Assert.Equal(topics[i], root.GetProperty("topic").GetString());
            Assert.True(root.GetProperty("conditionMet").GetBoolean());
            Assert.All(root.GetProperty("items").EnumerateArray(), item => Assert.Equal("probe-" + topics[i], item.GetProperty("text").GetString()));
        }

        // One verification record per session, under its own request id and topic; all subscriptions on one connection.
        var records = bootstrap.StdoutLines.Where(line => line.Contains("\"message\":\"verification\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(Sessions, records.Count);
        Assert.Equal(
            results.Select((r, i) => r.RequestId + " " + topics[i]).Order(StringComparer.Ordinal),
            records.Select(r => r.GetProperty("requestId").GetString() + " " + r.GetProperty("topic").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(Sessions, runtimeApi.PeakConcurrency);
        Assert.Equal(1, relay.Accepted);
    }

    [Fact]
    public async Task Bootstrap_NoMomentoKeySource_ReportsInitErrorAndExits()
    {
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        await using var bootstrap = Function.Start(runtimeApi, Environment(new()
        {
            [EnvironmentVariables.CacheName] = SubscriberHarness.Cache,
        }));

        var initError = await runtimeApi.InitErrorAsync.WaitAsync(TimeSpan.FromSeconds(30));
        var exitCode = await bootstrap.WaitForExitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("ConfigurationException", initError.ErrorType);
        Assert.Contains(EnvironmentVariables.LocalEndpoint, initError.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("none is set", initError.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, exitCode);
        Assert.Equal(0, runtimeApi.NextRequestCount);
    }

    [Fact]
    public async Task Bootstrap_MissingCacheName_ReportsInitErrorNamingTheVariable()
    {
        await using var runtimeApi = await RuntimeApiEmulator.StartAsync();
        await using var bootstrap = Function.Start(runtimeApi, Environment(new()
        {
            [EnvironmentVariables.LocalEndpoint] = "127.0.0.1:9",
        }));

        var initError = await runtimeApi.InitErrorAsync.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("ConfigurationException", initError.ErrorType);
        Assert.Contains(EnvironmentVariables.CacheName, initError.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, await bootstrap.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    // Start from a clean slate of Momento settings so the test host's environment cannot leak in.
    private static Dictionary<string, string?> Environment(Dictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>
        {
            [EnvironmentVariables.ApiKey] = null,
            [EnvironmentVariables.ApiKeySecretId] = null,
            [EnvironmentVariables.LocalEndpoint] = null,
            [EnvironmentVariables.CacheName] = null,
            [EnvironmentVariables.Endpoint] = null,
            [EnvironmentVariables.VerifyMaxListenMs] = "15000",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return environment;
    }
}
