using Functions.Common.Configuration;
using Functions.Common.Observability;
using Publisher.Contracts;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>Missing or contradictory configuration fails the init phase with a message naming the variable, never a key.</summary>
public sealed class ConfigurationTests
{
    private const string Key = "sk-this-is-a-secret-key-1234567890";

    public static TheoryData<string, string?, string> BadSettings() => new()
    {
        // Variable, value, text the message must contain.
        { EnvironmentVariables.PublishTimeoutMs, "soon", EnvironmentVariables.PublishTimeoutMs },
        { EnvironmentVariables.PublishTimeoutMs, "0", "from 50 to 60000" },
        { EnvironmentVariables.PublishTimeoutMs, "-5", EnvironmentVariables.PublishTimeoutMs },
        { EnvironmentVariables.PublishTimeoutMs, "1.5", EnvironmentVariables.PublishTimeoutMs },
        { EnvironmentVariables.MaxValueBytes, "huge", EnvironmentVariables.MaxValueBytes },
        { EnvironmentVariables.MaxValueBytes, "0", EnvironmentVariables.MaxValueBytes },
        { EnvironmentVariables.MaxBodyBytes, "10", EnvironmentVariables.MaxBodyBytes },
        { EnvironmentVariables.MaxBodyBytes, "99999999999", EnvironmentVariables.MaxBodyBytes },
        { EnvironmentVariables.MaxBatchMessages, "0", EnvironmentVariables.MaxBatchMessages },
        { EnvironmentVariables.MaxBatchMessages, "1e3", EnvironmentVariables.MaxBatchMessages },
        { EnvironmentVariables.IdleRecycleSeconds, "forever", EnvironmentVariables.IdleRecycleSeconds },
        { EnvironmentVariables.LocalEndpoint, "localhost", EnvironmentVariables.LocalEndpoint },
        { EnvironmentVariables.LocalEndpoint, "127.0.0.1:99999", EnvironmentVariables.LocalEndpoint },
        { EnvironmentVariables.CacheName, null, EnvironmentVariables.CacheName },
        { EnvironmentVariables.CacheName, "   ", EnvironmentVariables.CacheName },
        { EnvironmentVariables.ProblemTypeBaseUri, "problems/", "absolute http or https URI" },
        { EnvironmentVariables.ProblemTypeBaseUri, "ftp://docs.example.com/problems/", "absolute http or https URI" },
        { EnvironmentVariables.ProblemTypeBaseUri, "//docs.example.com/problems/", "or an absolute path" },
        { EnvironmentVariables.ProblemTypeBaseUri, "/problems", "must end with a slash" },
        { EnvironmentVariables.ProblemTypeBaseUri, "/problems/?v=1/", "no query or fragment" },
        { EnvironmentVariables.ProblemTypeBaseUri, "https://api.example.com/problems", "must end with a slash" },
        { EnvironmentVariables.ProblemTypeBaseUri, "https://api.example.com/problems/?v=1/", "no query or fragment" },
        { EnvironmentVariables.ProblemTypeBaseUri, "https://api.example.com/a b/", "printable ASCII" },
        { EnvironmentVariables.ProblemTypeBaseUri, "https://api.example.com/\"x\"/", "quotes" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task InitializeAsync_BadSetting_ThrowsNamingTheVariable(string variable, string? value, string expected)
    {
        var settings = FunctionHost.LocalSettings("127.0.0.1:9", "cache");
        settings[variable] = value;

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpContract.ProblemTypes.DefaultBaseUri)]
    [InlineData("https://api.example.com/topics/problems/", "https://api.example.com/topics/problems/")]
    [InlineData("/problems/", "/problems/")]
    public async Task HandleAsync_ProblemTypeBase_IsWhatTheEnvironmentSaysOrTheLocalRunners(string? configured, string expected)
    {
        var settings = FunctionHost.LocalSettings("127.0.0.1:9", "cache");
        settings[EnvironmentVariables.ProblemTypeBaseUri] = configured;
        await using var host = await FunctionHost.InitializeAsync(settings);

        var invocation = await host.InvokeAsync(TestEvents.PostJson(Functions.Common.Http.EventShape.RestApiV1, "/topics", "{}"));

        Assert.Equal(400, invocation.Response.StatusCode);
        Assert.Equal(expected + "invalid-request", invocation.Response.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task InitializeAsync_NoKeySource_ThrowsNamingEveryOption()
    {
        var settings = new Dictionary<string, string?> { [EnvironmentVariables.CacheName] = "cache" };

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(settings));

        Assert.Contains(EnvironmentVariables.ApiKeySecretId, error.Message, StringComparison.Ordinal);
        Assert.Contains(EnvironmentVariables.ApiKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(EnvironmentVariables.LocalEndpoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("none is set", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> KeySourcePairs() => new()
    {
        { EnvironmentVariables.ApiKey, EnvironmentVariables.LocalEndpoint },
        { EnvironmentVariables.ApiKey, EnvironmentVariables.ApiKeySecretId },
        { EnvironmentVariables.ApiKeySecretId, EnvironmentVariables.LocalEndpoint },
    };

    [Theory]
    [MemberData(nameof(KeySourcePairs))]
    public async Task InitializeAsync_TwoKeySources_ThrowsWithoutShowingTheKey(string first, string second)
    {
        var values = new Dictionary<string, string>
        {
            [EnvironmentVariables.ApiKey] = Key,
            [EnvironmentVariables.ApiKeySecretId] = "momento/api-key",
            [EnvironmentVariables.LocalEndpoint] = "127.0.0.1:9",
        };
        var settings = new Dictionary<string, string?>
        {
            [EnvironmentVariables.CacheName] = "cache",
            [first] = values[first],
            [second] = values[second],
        };

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(settings));

        Assert.Contains("more than one is set", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_ValueLimitAboveBodyCap_ThrowsNamingBoth()
    {
        var settings = FunctionHost.LocalSettings("127.0.0.1:9", "cache");
        settings[EnvironmentVariables.MaxValueBytes] = "5000";
        settings[EnvironmentVariables.MaxBodyBytes] = "4096";

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(settings));

        Assert.Contains(EnvironmentVariables.MaxValueBytes, error.Message, StringComparison.Ordinal);
        Assert.Contains(EnvironmentVariables.MaxBodyBytes, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Key, null)]
    [InlineData(Key, "not a host name!")]
    [InlineData("key with spaces " + Key, "cell-1.example.com")]
    public async Task InitializeAsync_UnusableDirectKey_ThrowsWithoutShowingTheKey(string key, string? endpoint)
    {
        var log = new LineWriter();
        var settings = new Dictionary<string, string?>
        {
            [EnvironmentVariables.CacheName] = "cache",
            [EnvironmentVariables.ApiKey] = key,
            [EnvironmentVariables.Endpoint] = endpoint,
        };

        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => PublisherFunction.InitializeAsync(FunctionHost.Reader(settings), new FunctionLog(log), CancellationToken.None));

        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, string.Join('\n', log.Lines), StringComparison.Ordinal);
        Assert.Contains($"Check {EnvironmentVariables.ApiKey} and {EnvironmentVariables.Endpoint}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_BadExtensionPort_ThrowsNamingTheVariable()
    {
        var settings = new Dictionary<string, string?>
        {
            [EnvironmentVariables.CacheName] = "cache",
            [EnvironmentVariables.ApiKeySecretId] = "momento/api-key",
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = "port",
        };

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => FunctionHost.InitializeAsync(settings));

        Assert.Contains("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_MinimalSettings_UsesDocumentedDefaults()
    {
        var settings = PublisherSettings.FromEnvironment(FunctionHost.Reader(FunctionHost.LocalSettings("127.0.0.1:8080", "cache")));

        Assert.Equal("cache", settings.Momento.CacheName);
        Assert.Equal(new MomentoKeySource.Local("127.0.0.1:8080"), settings.Momento.KeySource);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Momento.PublishTimeout);
        Assert.Equal(4096, settings.MaxValueBytes);
        Assert.Equal(1024 * 1024, settings.MaxBodyBytes);
        Assert.Equal(100, settings.MaxBatchMessages);
        Assert.Empty(settings.AllowedTopicPrefixes);
        Assert.True(settings.IsTopicAllowed("anything"));
    }

    [Fact]
    public void FromEnvironment_EverySetting_IsRead()
    {
        var values = FunctionHost.LocalSettings(" 127.0.0.1:8080 ", " cache ");
        values[EnvironmentVariables.PublishTimeoutMs] = "750";
        values[EnvironmentVariables.MaxValueBytes] = "1000";
        values[EnvironmentVariables.MaxBodyBytes] = "2000";
        values[EnvironmentVariables.MaxBatchMessages] = "7";
        values[EnvironmentVariables.IdleRecycleSeconds] = "60";
        values[EnvironmentVariables.AllowedTopicPrefixes] = " orders. , ,audit- ";

        var settings = PublisherSettings.FromEnvironment(FunctionHost.Reader(values));

        Assert.Equal("cache", settings.Momento.CacheName);
        Assert.Equal(TimeSpan.FromMilliseconds(750), settings.Momento.PublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Momento.IdleRecycleAfter);
        Assert.Equal(1000, settings.MaxValueBytes);
        Assert.Equal(2000, settings.MaxBodyBytes);
        Assert.Equal(7, settings.MaxBatchMessages);
        Assert.Equal(["orders.", "audit-"], settings.AllowedTopicPrefixes);
        Assert.True(settings.IsTopicAllowed("audit-log"));
        Assert.False(settings.IsTopicAllowed("payments"));
    }

    [Fact]
    public void FromEnvironment_SecretAndDirectKeySources_AreRecognised()
    {
        var secret = MomentoSettings.FromEnvironment(FunctionHost.Reader(new Dictionary<string, string?>
        {
            [EnvironmentVariables.CacheName] = "cache",
            [EnvironmentVariables.ApiKeySecretId] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:momento",
            [EnvironmentVariables.ApiKey] = "",
        }));
        var direct = MomentoSettings.FromEnvironment(FunctionHost.Reader(new Dictionary<string, string?>
        {
            [EnvironmentVariables.CacheName] = "cache",
            [EnvironmentVariables.ApiKey] = Key,
            [EnvironmentVariables.Endpoint] = "cell-1.example.com",
        }));

        Assert.Equal(new MomentoKeySource.Secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:momento"), secret.KeySource);
        Assert.Equal(new MomentoKeySource.Direct(Key), direct.KeySource);
        Assert.Equal("cell-1.example.com", direct.Endpoint);
        Assert.DoesNotContain(Key, direct.ToString(), StringComparison.Ordinal);
    }
}
