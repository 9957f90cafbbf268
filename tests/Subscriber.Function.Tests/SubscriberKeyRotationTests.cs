using System.Text;
using System.Text.Json;
using Functions.Common.Configuration;
using Functions.Common.Observability;
using Momento.Topics.LocalServer;
using Publisher.Contracts;

namespace Subscriber.Function.Tests;

/// <summary>The subscriber's key from Secrets Manager through a caching stand-in of the extension, and its re-read after a rotation.</summary>
public sealed class SubscriberKeyRotationTests
{
    private const string SecretId = "momento/subscriber-api-key";
    private const string OldKey = "old-key-0123456789abcdef";
    private const string NewKey = "new-key-fedcba9876543210";

    [Fact]
    public async Task HandleAsync_KeyRotatedWhileTheExtensionCachesTheOldOne_RereadsAndSubscribes()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions
        {
            Port = 0,
            Caches = ["test-cache"],
            RequiredApiKey = NewKey,
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        }).DefaultTimeout();
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        var log = new LineWriter();
        await using var function = await InitializeAsync(extension, log);
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(NewKey, server.HostPort);

        var result = await InvokeAsync(function, """{"topic":"rotation-probe","listenMs":3000,"count":1}""", TimeSpan.FromSeconds(30));

        Assert.True(result.GetProperty("subscribed").GetBoolean(), result.ToString());
        Assert.Equal(2, extension.Fetches);
        Assert.Equal("AWSCURRENT", extension.Requests.Last().VersionStage);
        Assert.Contains(log.Lines, line => line.Contains("Momento key rotated", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, line => line.Contains(OldKey, StringComparison.Ordinal) || line.Contains(NewKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_RereadFails_Answers502UnderItsOwnCode()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = ["test-cache"], RequiredApiKey = NewKey })
            .DefaultTimeout();
        var initial = SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort);
        await using var extension = await SecretsExtensionStandIn.StartAsync((number, _, response) => number == 1
            ? SecretsExtensionStandIn.Json(response, 200, JsonSerializer.Serialize(new Dictionary<string, string> { ["SecretString"] = initial }))
            : SecretsExtensionStandIn.Json(response, 200, """{"SecretString":"   "}"""));
        var log = new LineWriter();
        log.ExpectErrors(line => line.Contains("re-reading the secret failed", StringComparison.Ordinal));
        var settings = extension.Settings();
        settings[EnvironmentVariables.ApiKeySecretId] = SecretId;
        await using var function = await SubscriberFunction.InitializeAsync(Reader(settings), new FunctionLog(log), CancellationToken.None);

        var problem = await InvokeAsync(function, """{"topic":"rotation-probe","listenMs":2000,"count":1}""", TimeSpan.FromSeconds(30));

        Assert.Equal(502, problem.GetProperty("status").GetInt32());
        Assert.EndsWith("/" + HttpContract.ProblemTypes.UpstreamMisconfigured, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => line.Contains("\"errorCode\":\"KEY_REREAD_FAILED\"", StringComparison.Ordinal));
        log.AssertNoUnexpectedErrors();
    }

    private static SettingsReader Reader(Dictionary<string, string?> settings) => new(name => settings.GetValueOrDefault(name));

    private static Task<SubscriberFunction> InitializeAsync(SecretsExtensionStandIn extension, LineWriter log)
    {
        var settings = extension.Settings();
        return SubscriberFunction.InitializeAsync(Reader(settings), new FunctionLog(log), CancellationToken.None);
    }

    private static async Task<JsonElement> InvokeAsync(SubscriberFunction function, string payload, TimeSpan remaining)
    {
        await using var output = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(payload)), new TestLambdaContext(remaining)).DefaultTimeout();
        using var document = await JsonDocument.ParseAsync(output);
        return document.RootElement.Clone();
    }
}
