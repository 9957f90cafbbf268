using System.Text.Json;
using Functions.Common.Http;
using Grpc.Core;
using Grpc.Net.Client;
using Lambda.Runtime.Emulator;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Topics.LocalServer;
using Publisher.Contracts;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// The production path, locally: the key and endpoint as on AWS (<c>MOMENTO_API_KEY</c>, <c>MOMENTO_ENDPOINT</c>), so the
/// function speaks https to <c>cache.&lt;endpoint&gt;</c> (here cache.localhost, on the loopback) with SNI, ALPN h2 and full
/// certificate validation, against the local Topics server's TLS mode. The function trusts the server's throwaway CA only
/// through the platform (<c>SSL_CERT_FILE</c>), or not at all.
/// </summary>
public sealed class TlsEndpointTests
{
    private const string Key = "Zr4-local-tls-test-key";

    [Fact]
    public async Task HandleAsync_EndpointCertificateNotTrusted_502MisconfiguredAndTheLogNamesTheCertificate()
    {
        // This test process does not trust the throwaway CA.
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], Tls = true }).DefaultTimeout();
        await using var host = await FunctionHost.InitializeAsync(Settings(server));
        host.Log.ExpectErrors("invocation"); // the 502 is logged at ERROR

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"tls","topicValue":"Zv8-value"}"""));

        var problem = invocation.Response.AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        Assert.Contains("does not trust the TLS certificate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var record = invocation.Record;
        Assert.Equal("CONNECTION_ERROR", record.GetProperty("errorCode").GetString());
        Assert.Contains("TLS certificate was not trusted", record.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(host.Log.Lines, line => line.Contains("warm-up failed", StringComparison.Ordinal) && line.Contains("TLS certificate was not trusted", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Log.Lines, line => line.Contains(Key, StringComparison.Ordinal) || line.Contains("Zv8-value", StringComparison.Ordinal));
        invocation.Response.AssertNoLeaks(Key, "Zv8-value");
    }

    [Fact]
    [Trait("Category", "Bootstrap")]
    public async Task Bootstrap_TlsEndpoint_PublishesWhenTheProcessTrustsTheCaAndAnswers502WhenNot()
    {
        var serverLog = new ServerLog();
        await using var server = await LocalTopicsServer.StartAsync(
            new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], Tls = true, LoggerProvider = serverLog, HeartbeatInterval = TimeSpan.FromMilliseconds(100) }).DefaultTimeout();
        using var channel = GrpcChannel.ForAddress(server.Endpoint, new GrpcChannelOptions { HttpHandler = LocalCaTrust.Handler(server.CaCertificatePath!) });
        using var subscription = new Pubsub.PubsubClient(channel).Subscribe(new _SubscriptionRequest { CacheName = FunctionHost.CacheName, Topic = "tls" });
        Assert.True(await subscription.ResponseStream.MoveNext().DefaultTimeout());
        var subscriberHandshakes = server.TlsHandshakes.Count;

        await using var trustingApi = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var distrustingApi = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        var bootstrap = FunctionBootstrap.Publisher(typeof(TlsEndpointTests).Assembly);
        // The platform's own trust: SSL_CERT_FILE replaces OpenSSL's default CA file (the default CA folder still counts).
        await using var trusting = bootstrap.Start(trustingApi, Environment(server, new() { ["SSL_CERT_FILE"] = server.CaCertificatePath }));
        await using var distrusting = bootstrap.Start(distrustingApi, Environment(server, []));
        await Task.WhenAll(trustingApi.FirstNextRequestAsync, distrustingApi.FirstNextRequestAsync).WaitAsync(TimeSpan.FromSeconds(30));

        var published = await trustingApi.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"tls","topicValue":"over TLS"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();
        var refused = await distrustingApi.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", """{"topicName":"tls","topicValue":"Zv8-value"}"""), TimeSpan.FromSeconds(10)).DefaultTimeout();

        var output = string.Join('\n', trusting.StdoutLines.Concat(trusting.StderrLines).Concat(distrusting.StdoutLines).Concat(distrusting.StderrLines));
        Assert.False(published.IsError || published.TimedOut || refused.IsError || refused.TimedOut, output);
        Assert.True(ApiResult.Parse(published.ResponseBody!).StatusCode == 200, published.ResponseBody + "\n" + output);
        do
        {
            Assert.True(await subscription.ResponseStream.MoveNext().DefaultTimeout());
        }
        while (subscription.ResponseStream.Current.KindCase == _SubscriptionItem.KindOneofCase.Heartbeat);

        Assert.Equal("over TLS", subscription.ResponseStream.Current.Item.Value.Text);
        // Every connection of the functions asked for cache.localhost (SNI) and agreed on h2 (ALPN).
        // (The distrusting process's too: with TLS 1.3 the server finishes its side before the client refuses the certificate.)
        var functionHandshakes = server.TlsHandshakes.Skip(subscriberHandshakes).ToList();
        Assert.NotEmpty(functionHandshakes);
        Assert.All(functionHandshakes, h => Assert.Equal(new TlsHandshake("cache.localhost", "h2"), h));
        // Not "warmed" from init: on a loaded machine the warm-up may time out, and the invocation connects instead.
        Assert.DoesNotContain(trusting.StdoutLines, line => line.Contains("not trusted", StringComparison.Ordinal));

        ApiResult.Parse(refused.ResponseBody!).AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        var record = distrusting.StdoutLines.Select(line => JsonDocument.Parse(line).RootElement)
            .Single(e => e.GetProperty("message").GetString() == "invocation");
        Assert.Equal("CONNECTION_ERROR", record.GetProperty("errorCode").GetString());
        Assert.Contains("TLS certificate was not trusted", record.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Zv8-value", output, StringComparison.Ordinal);
        serverLog.AssertNoUnexpectedErrors();
    }

    private static Dictionary<string, string?> Settings(LocalTopicsServer server) => new()
    {
        [EnvironmentVariables.ApiKey] = Key,
        [EnvironmentVariables.Endpoint] = server.MomentoEndpoint,
        [EnvironmentVariables.CacheName] = FunctionHost.CacheName,
    };

    private static Dictionary<string, string?> Environment(LocalTopicsServer server, Dictionary<string, string?> trust) =>
        FunctionHost.ProductionEnvironment(Key, server.MomentoEndpoint, trust);
}
