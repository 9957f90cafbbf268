using System.Net;
using System.Net.Sockets;
using Functions.Common.Configuration;
using Functions.Common.Secrets;
using Publisher.Contracts;

namespace Publisher.Function.Tests.Secrets;

public sealed class SecretsManagerExtensionClientTests
{
    private const string Token = "session-token-for-tests";
    private const string SecretValue = "s3cr3t-momento-api-key-value";
    private const string SecretId = "arn:aws:secretsmanager:us-east-1:123456789012:secret:momento/api key+x?&=";

    private static readonly string SecretJson = $$$"""
        {"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:momento/api-key-AbCdEf","CreatedDate":"2024-05-01T10:20:30.123Z",
         "Name":"momento/api-key","SecretBinary":null,"SecretString":"{{{SecretValue}}}","VersionId":"v-1",
         "VersionStages":["AWSCURRENT"],"ResultMetadata":{}}
        """;

    private static SecretsManagerExtensionClient Client(int port, TimeSpan? maxWait = null, HttpMessageHandler? handler = null) =>
        new(port, Token, handler, "127.0.0.1") { MaxWait = maxWait ?? TimeSpan.FromSeconds(2) };

    private static void AssertNoSecret(Exception error)
    {
        Assert.DoesNotContain(SecretValue, error.ToString());
        Assert.DoesNotContain(SecretValue, error.Message);
    }

    [Fact]
    public async Task GetSecretValueAsync_Success_SendsTokenAndEncodedIdAndParsesResponse()
    {
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 200, SecretJson));
        using var client = Client(extension.Port);

        var secret = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = SecretId, VersionStage = "AWSPREVIOUS" }).DefaultTimeout();

        var seen = Assert.Single(extension.Requests);
        Assert.Equal("/secretsmanager/get", seen.Path);
        Assert.Equal(Token, seen.Token);
        Assert.Equal(SecretId, seen.SecretId);
        Assert.Equal("AWSPREVIOUS", seen.VersionStage);
        Assert.Null(seen.VersionId);
        Assert.Contains("secretId=arn%3Aaws%3Asecretsmanager%3Aus-east-1%3A123456789012%3Asecret%3Amomento%2Fapi%20key%2Bx%3F%26%3D", seen.RawQuery);
        Assert.Equal(SecretValue, secret.SecretString);
        Assert.DoesNotContain(SecretValue, secret.ToString());
    }

    [Fact]
    public async Task GetSecretValueAsync_VersionId_IsSentDecodable()
    {
        const string json = """{"Name":"n","SecretString":"v","CreatedDate":1.523477145713E9}""";
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 200, json));
        using var client = Client(extension.Port);

        var secret = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "n", VersionId = "v 2" }).DefaultTimeout();

        Assert.Equal("v 2", Assert.Single(extension.Requests).VersionId);
        Assert.Equal("v", secret.SecretString);
    }

    // Only SecretString is read: members the functions do not use cannot fail the read, whatever their value or type.
    [Theory]
    [InlineData("\"CreatedDate\":\"not a date\"")]
    [InlineData("\"CreatedDate\":\"2024-13-45T99:99:99Z\"")]
    [InlineData("\"CreatedDate\":1e400")]
    [InlineData("\"CreatedDate\":{\"seconds\":1}")]
    [InlineData("\"VersionStages\":\"AWSCURRENT\",\"ARN\":7,\"Name\":[]")]
    [InlineData("\"RotationRules\":{\"AutomaticallyAfterDays\":30},\"Tags\":[{\"Key\":\"k\"}]")]
    public async Task GetSecretValueAsync_UnreadMembersUnparseableOrUnknown_ReadsTheSecretString(string members)
    {
        var json = $$"""{{{members}},"SecretString":"{{SecretValue}}"}""";
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 200, json));
        using var client = Client(extension.Port);

        var secret = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" }).DefaultTimeout();

        Assert.Equal(SecretValue, secret.SecretString);
    }

    [Fact]
    public async Task GetSecretValueAsync_ExtensionStarting_RetriesUntilReady()
    {
        await using var extension = await SecretsExtensionStandIn.StartAsync((n, _, response) => n switch
        {
            1 => SecretsExtensionStandIn.Json(response, 500, "{}"),
            2 => SecretsExtensionStandIn.Json(response, 400, "not ready to serve traffic, please wait"),
            3 => SecretsExtensionStandIn.Json(response, 503, "{}"),
            _ => SecretsExtensionStandIn.Json(response, 200, SecretJson),
        });
        using var client = Client(extension.Port);

        var secret = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" }).DefaultTimeout();

        Assert.Equal(SecretValue, secret.SecretString);
        Assert.Equal(4, extension.Requests.Count);
    }

    [Fact]
    public async Task GetSecretValueAsync_ConnectionRefusedThenListening_Succeeds()
    {
        var port = FreePort();
        var firstFailure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var handler = new FailureSignalingHandler(firstFailure);
        using var client = Client(port, TimeSpan.FromSeconds(8), handler);

        var fetch = client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" });
        await firstFailure.Task.DefaultTimeout();
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 200, SecretJson), port);
        var secret = await fetch.DefaultTimeout();

        Assert.Equal(SecretValue, secret.SecretString);
        Assert.True(handler.Failures >= 1);
    }

    [Theory]
    [InlineData(404, "ResourceNotFoundException", "does not exist")]
    [InlineData(403, "Forbidden", "AWS_SESSION_TOKEN")]
    [InlineData(400, "ValidationException", "400")]
    public async Task GetSecretValueAsync_ClientError_FailsAtOnceWithoutRetry(int status, string body, string expectedHint)
    {
        await using var extension = await SecretsExtensionStandIn.StartAsync(
            (_, _, response) => SecretsExtensionStandIn.Json(response, status, $$"""{"__type":"{{body}}","message":"{{SecretValue}}"}"""));
        using var client = Client(extension.Port);

        var error = await Assert.ThrowsAsync<SecretsManagerExtensionException>(
            () => client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" })).DefaultTimeout();

        Assert.Single(extension.Requests);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal("momento/api-key", error.SecretId);
        Assert.Contains("momento/api-key", error.Message);
        Assert.Contains(expectedHint, error.Message);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task GetSecretValueAsync_AlwaysFailing_GivesUpWithinMaxWait()
    {
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 500, SecretValue));
        using var client = Client(extension.Port, TimeSpan.FromSeconds(1));
        var started = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<SecretsManagerExtensionException>(
            () => client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" })).DefaultTimeout();

        // It retried, then stopped once the next backoff would pass MaxWait (1 s): well before it could run out its 20 attempts.
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(8), $"gave up after {DateTimeOffset.UtcNow - started}");
        Assert.InRange(extension.Requests.Count, 2, SecretsManagerExtensionClient.MaxAttempts);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("Gave up", error.Message);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task GetSecretValueAsync_MalformedSuccessBody_ErrorOmitsBody()
    {
        await using var extension = await SecretsExtensionStandIn.StartAsync(
            (_, _, response) => SecretsExtensionStandIn.Json(response, 200, $$"""{"SecretString":"{{SecretValue}}",,}"""));
        using var client = Client(extension.Port);

        var error = await Assert.ThrowsAsync<SecretsManagerExtensionException>(
            () => client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" })).DefaultTimeout();

        Assert.Contains("not GetSecretValue JSON", error.Message);
        Assert.Null(error.InnerException);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task FromEnvironment_PortAndToken_ReachesThatPortWithThatToken()
    {
        await using var extension = await SecretsExtensionStandIn.StartAsync((_, _, response) => SecretsExtensionStandIn.Json(response, 200, SecretJson));
        var environment = new Dictionary<string, string?>
        {
            [EnvironmentVariables.SecretsExtensionHttpPort] = extension.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [EnvironmentVariables.SessionToken] = Token,
        };
        using var client = SecretsManagerExtensionClient.FromEnvironment(new SettingsReader(environment.GetValueOrDefault));

        await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "momento/api-key" }).DefaultTimeout();

        Assert.Equal(Token, Assert.Single(extension.Requests).Token);
    }

    [Fact]
    public void FromEnvironment_PortNotANumber_NamesTheVariable()
    {
        var environment = new Dictionary<string, string?> { [EnvironmentVariables.SecretsExtensionHttpPort] = "70000" };

        var error = Assert.Throws<ConfigurationException>(() => SecretsManagerExtensionClient.FromEnvironment(new SettingsReader(environment.GetValueOrDefault)));

        Assert.Contains(EnvironmentVariables.SecretsExtensionHttpPort, error.Message);
    }

    [Fact]
    public void MaxWait_NotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecretsManagerExtensionClient(2773, "t") { MaxWait = TimeSpan.Zero });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A real socket handler that signals the first connection failure, so the test starts the server only after it.</summary>
    private sealed class FailureSignalingHandler(TaskCompletionSource firstFailure) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failures);
                firstFailure.TrySetResult();
                throw;
            }
        }
    }
}
