using System.Text.Json;
using Functions.Common.Configuration;
using Functions.Common.Http;
using Functions.Common.Secrets;
using Momento.Topics.LocalServer;
using Publisher.Contracts;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// The key from Secrets Manager, read through a stand-in of the Parameters and Secrets extension's HTTP API,
/// and the rotation path: an authentication failure re-reads the secret once and retries with a changed key.
/// </summary>
/// <remarks>
/// The secret holds <c>{"apiKey", "endpoint": "http://127.0.0.1:port"}</c> so the key reaches the local server over
/// plaintext; that needs <c>CredentialProvider.FromApiKey</c> to accept an http:// endpoint.
/// </remarks>
public sealed class SecretKeyTests
{
    private const string SecretId = "momento/publisher-api-key";
    private const string OldKey = "old-key-0123456789abcdef";
    private const string NewKey = "new-key-fedcba9876543210";
    private const string Body = """{"topicName":"secret-topic","topicValue":"secret-path-value"}""";

    [Fact]
    public async Task InitializeAsync_KeyAndEndpointInSecret_PublishesWithThatKey()
    {
        await using var server = await StartServerAsync(requiredKey: OldKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        Assert.Single(host.Log.Messages("Momento connection warmed"));
        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal(1, extension.Reads);
        AssertNoKeys(host);
    }

    [Fact]
    public async Task InitializeAsync_EndpointKnownUpFront_ConnectsWhileTheKeyIsReadAndPublishesOnThatConnection()
    {
        await using var server = await StartServerAsync(requiredKey: OldKey);
        var answer = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Name"] = SecretId,
            ["SecretString"] = SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort),
        });
        // The extension answers only once the Topics server has a connection: init could not finish if it connected after the read.
        await using var extension = await SecretsExtensionStandIn.StartAsync(async (_, _, response) =>
        {
            for (var waited = 0; server.ConnectionsAccepted == 0 && waited < 10_000; waited += 10)
            {
                await Task.Delay(10);
            }

            await SecretsExtensionStandIn.Json(response, server.ConnectionsAccepted == 0 ? 504 : 200, answer);
        });
        var settings = extension.Settings(FunctionHost.CacheName);
        settings[EnvironmentVariables.ApiKeySecretId] = SecretId;
        settings[EnvironmentVariables.Endpoint] = "http://" + server.HostPort;
        await using var host = await FunctionHost.InitializeAsync(settings);

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        Assert.Equal(200, invocation.Response.StatusCode);
        // The connection opened beside the read is the one the client took.
        Assert.Equal(1, server.ConnectionsAccepted);
        Assert.Single(extension.Requests);
        AssertNoKeys(host);
    }

    [Fact]
    public async Task InitializeAsync_SecretAnswerWithUnparseableCreatedDateAndUnknownMembers_InitialisesAndPublishes()
    {
        await using var server = await StartServerAsync(requiredKey: OldKey);
        var answer = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ARN"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + SecretId + "-AbCdEf",
            ["CreatedDate"] = "last Tuesday",
            ["SecretString"] = SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort),
            ["VersionStages"] = "AWSCURRENT",
            ["ReplicationStatus"] = new[] { new Dictionary<string, string> { ["Region"] = "eu-west-1" } },
        });
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 200, answer));
        var settings = extension.Settings();
        settings[EnvironmentVariables.ApiKeySecretId] = SecretId;
        await using var host = await FunctionHost.InitializeAsync(settings);

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal(SecretId, Assert.Single(extension.Requests).SecretId);
        AssertNoKeys(host);
    }

    [Fact]
    public async Task InitializeAsync_ExtensionStillStarting_RetriesUntilItAnswers()
    {
        await using var server = await StartServerAsync(requiredKey: OldKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort), notReadyAnswers: 2);
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", Body));

        Assert.Equal(3, extension.Requests.Count);
        Assert.Equal(1, extension.Reads);
        Assert.Equal(200, invocation.Response.StatusCode);
    }

    [Fact]
    public async Task HandleAsync_KeyRotated_RereadsSecretOnceAndPublishes()
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());

        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(NewKey, server.HostPort);
        var rotated = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));
        var readsAfterRotation = extension.Reads;
        var next = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        var warmUp = await host.Log.WaitForMessageAsync(FunctionHost.WarmUpFailed).DefaultTimeout(); // logged when the Ping's answer arrives, maybe after the invocation
        Assert.Single(host.Log.Messages(FunctionHost.WarmUpFailed));
        Assert.Equal("AUTHENTICATION_ERROR", warmUp.GetProperty("errorCode").GetString());
        Assert.Equal(200, rotated.Response.StatusCode);
        Assert.True(rotated.Record.GetProperty("keyRotated").GetBoolean());
        Assert.Contains(rotated.LogLines, line => line.Contains("Momento key rotated", StringComparison.Ordinal));
        Assert.Equal(2, readsAfterRotation);
        Assert.Equal(200, next.Response.StatusCode);
        Assert.False(next.Record.TryGetProperty("keyRotated", out _));
        Assert.Equal(2, extension.Reads);
        AssertNoKeys(host);
    }

    [Fact]
    public async Task HandleAsync_KeyRotatedDuringBatch_ConcurrentFailuresShareOneReread()
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(NewKey, server.HostPort);
        var messages = string.Join(',', Enumerable.Range(0, 8).Select(i => $$"""{"topicName":"rotate-{{i}}","topicValue":"v{{i}}"}"""));

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/batch", "{\"messages\":[" + messages + "]}"));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal(8, invocation.Response.Json.GetProperty("published").GetInt32());
        Assert.True(invocation.Record.GetProperty("keyRotated").GetBoolean());
        Assert.Equal(2, extension.Reads);
    }

    [Fact]
    public async Task HandleAsync_SecretStillHoldsRejectedKey_Answers502AfterOneReread()
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());
        host.Log.ExpectErrors("invocation"); // the 5xx answer is logged at ERROR

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        invocation.Response.AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        invocation.Response.AssertNoLeaks("secret-path-value", OldKey, NewKey);
        Assert.Equal(2, extension.Reads);
        Assert.Equal("AUTHENTICATION_ERROR", invocation.Record.GetProperty("errorCode").GetString());
        Assert.False(invocation.Record.TryGetProperty("keyRotated", out _));
        Assert.Contains(invocation.LogLines, line => line.Contains("the secret still holds the same key", StringComparison.Ordinal));
        AssertNoKeys(host);
    }

    [Fact]
    public async Task HandleAsync_KeyRotatedWhileTheExtensionCachesTheOldOne_RereadAsksPastTheCache()
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(NewKey, server.HostPort);

        // The init read is cached for the stack's TTL: a plain read now would still answer the old key.
        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.True(invocation.Record.GetProperty("keyRotated").GetBoolean());
        Assert.Equal(2, extension.Fetches);
        var reread = extension.Requests.Last();
        Assert.Equal("AWSCURRENT", reread.VersionStage);
        Assert.Contains("refreshNow=true", reread.RawQuery, StringComparison.Ordinal);
        AssertNoKeys(host);
    }

    [Fact]
    public async Task HandleAsync_ExtensionIgnoresRefreshNow_FirstRotationStillReadsTheCurrentVersion()
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort));
        extension.HonoursRefreshNow = false;
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(NewKey, server.HostPort);

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/topics", Body));

        // The AWSCURRENT-labelled request is a cache entry of its own, never filled by the init read.
        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal(2, extension.Fetches);
    }

    [Fact]
    public async Task HandleAsync_SameKeyStoredWithANewEndpoint_RebuildsTheClientForTheNewEndpoint()
    {
        await using var retired = await StartServerAsync(requiredKey: "a-key-this-cell-no-longer-takes");
        await using var current = await StartServerAsync(requiredKey: OldKey);
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, SecretsExtensionStandIn.KeyAndEndpoint(OldKey, retired.HostPort));
        await using var host = await FunctionHost.InitializeAsync(extension.Settings());
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(OldKey, current.HostPort);

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.True(invocation.Record.GetProperty("keyRotated").GetBoolean());
        Assert.Contains(invocation.LogLines, line => line.Contains("Momento key rotated", StringComparison.Ordinal) && line.Contains(current.HostPort, StringComparison.Ordinal));
        AssertNoKeys(host);
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("unreadable")]
    public async Task HandleAsync_RereadFailsDuringBatch_EachMessageIsA502CountedUnderItsOwnCode(string failure)
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        var initial = SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort);
        await using var extension = await SecretsExtensionStandIn.StartAsync((number, _, response) => number == 1
            ? SecretsExtensionStandIn.Json(response, 200, JsonSerializer.Serialize(new Dictionary<string, string> { ["SecretString"] = initial }))
            : failure == "malformed"
                ? SecretsExtensionStandIn.Json(response, 200, """{"SecretString":"{\"apiKey\": 42}"}""")
                : SecretsExtensionStandIn.Json(response, 403, """{"message":"AccessDeniedException"}"""));
        var settings = extension.Settings();
        settings[EnvironmentVariables.ApiKeySecretId] = SecretId;
        await using var host = await FunctionHost.InitializeAsync(settings);
        host.Log.ExpectErrors(line => line.Contains("re-reading the secret failed", StringComparison.Ordinal) || line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal));
        var messages = string.Join(',', Enumerable.Range(0, 3).Select(i => $$"""{"topicName":"t-{{i}}","topicValue":"v{{i}}"}"""));

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/batch", "{\"messages\":[" + messages + "]}"));

        Assert.Equal(207, invocation.Response.StatusCode);
        foreach (var result in invocation.Response.Json.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(502, result.GetProperty("status").GetInt32());
            Assert.EndsWith("/" + ProblemTypes.UpstreamMisconfigured, result.GetProperty("problem").GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("KEY_REREAD_FAILED", invocation.Record.GetProperty("errorCode").GetString());
        Assert.Equal(3, invocation.Record.GetProperty("PublishFailures").GetInt32());
        Assert.DoesNotContain(invocation.LogLines, line => line.Contains("UNHANDLED_", StringComparison.Ordinal));
        invocation.Response.AssertNoLeaks(OldKey, NewKey);
        AssertNoKeys(host);
    }

    [Fact]
    public async Task HandleAsync_RereadHangs_AnswersWithinTheInvocationsTime()
    {
        await using var server = await StartServerAsync(requiredKey: NewKey);
        var initial = SecretsExtensionStandIn.KeyAndEndpoint(OldKey, server.HostPort);
        await using var extension = await SecretsExtensionStandIn.StartAsync(async (number, _, response) =>
        {
            if (number > 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), response.HttpContext.RequestAborted);
            }

            await SecretsExtensionStandIn.Json(response, 200, JsonSerializer.Serialize(new Dictionary<string, string> { ["SecretString"] = initial }));
        });
        var settings = extension.Settings();
        settings[EnvironmentVariables.ApiKeySecretId] = SecretId;
        await using var host = await FunctionHost.InitializeAsync(settings);
        host.Log.ExpectErrors(line => line.Contains("re-reading the secret failed", StringComparison.Ordinal) || line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.RestApiV1, "/topics", Body), remaining: TimeSpan.FromSeconds(2));

        // Answered before the deadline (2 s, less the margin), not after the extension's 10 s attempt timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"answered after {clock.Elapsed}");
        invocation.Response.AssertProblem(502, ProblemTypes.UpstreamMisconfigured);
        Assert.Equal("KEY_REREAD_FAILED", invocation.Record.GetProperty("errorCode").GetString());
        Assert.Contains(invocation.LogLines, line => line.Contains("time ran out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_WrongSessionToken_FailsInitNamingTheSecret()
    {
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, OldKey);

        var error = await Assert.ThrowsAsync<SecretsManagerExtensionException>(
            () => FunctionHost.InitializeAsync(extension.Settings(token: "not-the-session-token")));

        Assert.Contains(SecretId, error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OldKey, error.ToString(), StringComparison.Ordinal);
        Assert.Single(extension.Requests);
        Assert.Equal(0, extension.Reads);
    }

    [Fact]
    public async Task InitializeAsync_UnknownSecret_FailsInitWithoutRetrying()
    {
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, OldKey);
        var settings = extension.Settings();
        settings[EnvironmentVariables.ApiKeySecretId] = "momento/no-such-secret";

        var error = await Assert.ThrowsAsync<SecretsManagerExtensionException>(() => FunctionHost.InitializeAsync(settings));

        Assert.Contains("momento/no-such-secret", error.Message, StringComparison.Ordinal);
        Assert.Single(extension.Requests);
    }

    [Theory]
    [InlineData("""{"endpoint":"http://127.0.0.1:1"}""", "apiKey")]
    [InlineData("""{"apiKey":"" }""", "apiKey")]
    [InlineData("""{"apiKey": 42}""", "apiKey")]
    [InlineData("""{"apiKey":"old-key-0123456789abcdef","endpoint":7}""", "endpoint")]
    [InlineData("""{"apiKey":"old-key-0123456789abcdef" """, "not valid JSON")]
    [InlineData("   ", "empty")]
    public async Task InitializeAsync_UnusableSecret_FailsWithConfigurationErrorWithoutTheSecret(string secretString, string expected)
    {
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, secretString);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(extension.Settings()));

        Assert.Contains(SecretId, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OldKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_BareKeyWithoutEndpoint_FailsWithoutShowingTheKey()
    {
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, OldKey);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(extension.Settings()));

        Assert.Contains(SecretId, error.Message, StringComparison.Ordinal);
        Assert.Contains(EnvironmentVariables.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OldKey, error.Message, StringComparison.Ordinal);
    }

    private static Task<LocalTopicsServer> StartServerAsync(string requiredKey) =>
        LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], RequiredApiKey = requiredKey }).DefaultTimeout();

    private static void AssertNoKeys(FunctionHost host)
    {
        var log = string.Join('\n', host.Log.Lines);
        Assert.DoesNotContain(OldKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain(NewKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-path-value", log, StringComparison.Ordinal);
    }
}
