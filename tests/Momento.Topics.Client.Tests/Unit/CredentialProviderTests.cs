using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Unit;

public sealed class CredentialProviderTests
{
    private const string Endpoint = "cell-us-east-1-1.prod.a.momentohq.com";

    [Fact]
    public void FromApiKey_LegacyJwt_UsesClaimCAndWholeTokenAsAuthorization()
    {
        var key = TestKeys.LegacyJwt("cache.cell-4-us-west-2-1.prod.a.momentohq.com");

        var credentials = CredentialProvider.FromApiKey(key);

        Assert.Equal(new Uri("https://cache.cell-4-us-west-2-1.prod.a.momentohq.com:443"), credentials.CacheEndpoint);
        Assert.Equal(key, credentials.AuthToken);
        Assert.False(credentials.IsLocal);
    }

    [Fact]
    public void FromApiKey_V1Key_UsesCachePrefixedEndpointAndInnerKey()
    {
        var key = TestKeys.V1("inner-secret-key", Endpoint);

        var credentials = CredentialProvider.FromApiKey(key);

        Assert.Equal(new Uri($"https://cache.{Endpoint}:443"), credentials.CacheEndpoint);
        Assert.Equal("inner-secret-key", credentials.AuthToken);
    }

    [Fact]
    public void FromApiKey_V1KeyWithoutPadding_IsAccepted()
    {
        var key = TestKeys.V1("k", Endpoint).TrimEnd('=');

        var credentials = CredentialProvider.FromApiKey(key);

        Assert.Equal("k", credentials.AuthToken);
    }

    [Fact]
    public void FromApiKey_PlaintextEndpoint_IsLocalServerWithKeyAsAuthorization()
    {
        const string Key = "opaque-local-key-42";

        var credentials = CredentialProvider.FromApiKey(Key, "http://127.0.0.1:9123");

        Assert.Equal(new Uri("http://127.0.0.1:9123"), credentials.CacheEndpoint);
        Assert.True(credentials.IsLocal);
        Assert.Equal(Key, credentials.AuthToken);
    }

    [Fact]
    public void FromApiKey_V2KeyWithEndpoint_UsesKeyAsGivenAndCacheHost()
    {
        const string Key = "opaque-v2-key-0123456789abcdef";

        var credentials = CredentialProvider.FromApiKey(Key, Endpoint);

        Assert.Equal(new Uri($"https://cache.{Endpoint}:443"), credentials.CacheEndpoint);
        Assert.Equal(Key, credentials.AuthToken);
    }

    [Theory]
    [InlineData("cache.cell-1.example.com", "https://cache.cell-1.example.com:443")]
    [InlineData("https://cell-1.example.com", "https://cache.cell-1.example.com:443")]
    [InlineData("cell-1.example.com:8443", "https://cache.cell-1.example.com:8443")]
    [InlineData("  cell-1.example.com  ", "https://cache.cell-1.example.com:443")]
    public void FromApiKey_EndpointForms_NormalizeToCacheHost(string endpoint, string expected)
    {
        var credentials = CredentialProvider.FromApiKey("opaque-v2-key", endpoint);

        Assert.Equal(new Uri(expected), credentials.CacheEndpoint);
    }

    [Fact]
    public void FromApiKey_JwtWithoutClaimCButWithEndpoint_IsTreatedAsOpaqueKey()
    {
        var key = TestKeys.Jwt("{\"sub\":\"x\"}");

        var credentials = CredentialProvider.FromApiKey(key, Endpoint);

        Assert.Equal(new Uri($"https://cache.{Endpoint}:443"), credentials.CacheEndpoint);
        Assert.Equal(key, credentials.AuthToken);
    }

    [Fact]
    public void FromApiKey_ExplicitEndpoint_OverridesKeyEndpoint()
    {
        var credentials = CredentialProvider.FromApiKey(TestKeys.V1("k", "old.example.com"), "new.example.com");

        Assert.Equal(new Uri("https://cache.new.example.com:443"), credentials.CacheEndpoint);
    }

    public static TheoryData<string, string?, string> MalformedKeys => new()
    {
        { "", null, "empty" },
        { "   ", Endpoint, "empty" },
        { "zQ8xk2Vw9pLr7Tn!!", null, "endpoint" },
        { TestKeys.V1("{\"endpoint\":\"" + Endpoint + "\"}"), null, "'api_key'" },
        { TestKeys.V1("{\"api_key\":\"Jz8QwX3kVp\"}"), null, "'endpoint'" },
        { TestKeys.V1("{}"), null, "'api_key'" },
        { TestKeys.Jwt("{\"sub\":\"someone\",\"cp\":\"control.example.com\"}"), null, "'c'" },
        { "Xk29vQpz7Lm3w0Rt", null, "endpoint" },
        { "Wq7zPk3Lr9Vx", "not a host name", "not a valid host" },
        { "Wq7zPk3Lr9Vx", "http://cell.example.com", "not a valid host" },
        { "zq9Lw8 Vn2Pk7", Endpoint, "whitespace" },
        { TestKeys.LegacyJwt("bad host!"), null, "inside the API key" },
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void FromApiKey_MalformedKey_ThrowsClearMessageWithoutKey(string key, string? endpoint, string expectedFragment)
    {
        var exception = Assert.Throws<InvalidCredentialException>(() => CredentialProvider.FromApiKey(key, endpoint));

        Assert.Contains(expectedFragment, exception.Message, StringComparison.Ordinal);
        Assert.Null(exception.InnerException);
        AssertNoKeyFragment(key, exception.ToString());
    }

    [Fact]
    public void FromApiKey_NullKey_ThrowsInvalidCredential()
    {
        var exception = Assert.Throws<InvalidCredentialException>(() => CredentialProvider.FromApiKey(null!));

        Assert.Contains("empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_ShowsEndpointButNotKey()
    {
        const string Key = "super-secret-opaque-key-value";

        var text = CredentialProvider.FromApiKey(Key, Endpoint).ToString();

        Assert.Contains($"cache.{Endpoint}", text, StringComparison.Ordinal);
        AssertNoKeyFragment(Key, text);
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("localhost:9000", "http://localhost:9000/")]
    [InlineData("http://127.0.0.1:5001", "http://127.0.0.1:5001/")]
    public void ForLocal_HostPort_IsPlaintextWithEmptyAuthorization(string hostPort, string expected)
    {
        var credentials = CredentialProvider.ForLocal(hostPort);

        Assert.Equal(expected, credentials.CacheEndpoint.ToString());
        Assert.True(credentials.IsLocal);
        Assert.Equal(string.Empty, credentials.AuthToken);
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://127.0.0.1:8080")]
    [InlineData("127.0.0.1:8080/path")]
    public void ForLocal_BadAddress_Throws(string hostPort)
    {
        var exception = Assert.Throws<InvalidCredentialException>(() => CredentialProvider.ForLocal(hostPort));

        Assert.Contains("host:port", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>No run of 6 or more characters of the key may appear in <paramref name="text"/>.</summary>
    private static void AssertNoKeyFragment(string key, string text)
    {
        const int Window = 6;
        var trimmed = key.Trim();
        for (var i = 0; i + Window <= trimmed.Length; i++)
        {
            var fragment = trimmed.Substring(i, Window);
            Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"The text contains a {Window}-character fragment of the key at offset {i}.");
        }
    }
}
