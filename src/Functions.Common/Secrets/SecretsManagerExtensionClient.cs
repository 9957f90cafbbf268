using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Functions.Common.Configuration;
using Publisher.Contracts;

namespace Functions.Common.Secrets;

/// <summary>Reads secrets through the AWS Parameters and Secrets Lambda extension (a local HTTP cache of Secrets
/// Manager), a stand-in for the SDK's GetSecretValue. Retries briefly while the extension is still starting.</summary>
public sealed class SecretsManagerExtensionClient : IDisposable
{
    /// <summary>The extension's default port.</summary>
    internal const int DefaultPort = 2773;

    internal const string TokenHeader = "X-Aws-Parameters-Secrets-Token";

    /// <summary>The extension answers cache misses within a Secrets Manager round trip; this only guards against a hung one.</summary>
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    internal static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(2);
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(25);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);
    internal const int MaxAttempts = 20;

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string? _sessionToken;

    /// <summary>Creates a client of the extension at <c>http://{host}:{port}</c>.</summary>
    /// <param name="port">The extension's port. Default 2773 (see <see cref="FromEnvironment"/> for env PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).</param>
    /// <param name="sessionToken">The auth token. Default null: env AWS_SESSION_TOKEN.</param>
    /// <param name="handler">The HTTP handler (not disposed by this client). Default null: a new one.</param>
    /// <param name="host">The extension's host. Default <c>localhost</c>.</param>
    public SecretsManagerExtensionClient(int port = DefaultPort, string? sessionToken = null, HttpMessageHandler? handler = null, string host = "localhost")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        _baseUrl = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
        _sessionToken = sessionToken ?? Environment.GetEnvironmentVariable(EnvironmentVariables.SessionToken);
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = AttemptTimeout }
            : new HttpClient(handler, disposeHandler: false) { Timeout = AttemptTimeout };
    }

    /// <summary>How long to keep retrying, from the first failure, while the extension is starting. Default 2 s; must be positive.</summary>
    public TimeSpan MaxWait
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = DefaultMaxWait;

    /// <summary>Creates a client configured like the extension: port from env PARAMETERS_SECRETS_EXTENSION_HTTP_PORT
    /// (default 2773), token from env AWS_SESSION_TOKEN.</summary>
    /// <exception cref="ConfigurationException">The port variable is set but is not a port number.</exception>
    public static SecretsManagerExtensionClient FromEnvironment(SettingsReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new SecretsManagerExtensionClient(
            environment.Int32(EnvironmentVariables.SecretsExtensionHttpPort, DefaultPort, 1, 65535),
            environment.Optional(EnvironmentVariables.SessionToken) ?? string.Empty);
    }

    /// <summary>Fetches a secret: <c>GET /secretsmanager/get?secretId=...</c>. Connection failures, 5xx and
    /// "not ready" answers are retried with a short backoff within <see cref="MaxWait"/>; other errors fail at once.</summary>
    /// <exception cref="SecretsManagerExtensionException">The secret could not be fetched.</exception>
    public async Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.SecretId);
        var url = BuildUrl(request);
        var secretId = request.SecretId;
        Stopwatch? clock = null;
        var delay = FirstRetryDelay;

        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryOnceAsync(url, secretId, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                return response;
            }

            // The budget counts from the first failure, so a slow first call (cold JIT, busy host) still gets its retries.
            clock ??= Stopwatch.StartNew();
            var failure = outcome.Failure!;
            if (!outcome.Retryable || attempt >= MaxAttempts || clock.Elapsed + delay > MaxWait)
            {
                if (!outcome.Retryable)
                {
                    throw failure;
                }

                throw new SecretsManagerExtensionException(
                    string.Create(CultureInfo.InvariantCulture, $"{failure.Message} Gave up after {attempt} attempts in {clock.ElapsedMilliseconds} ms; the extension may not have started."),
                    secretId,
                    failure.StatusCode,
                    failure.InnerException);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private string BuildUrl(GetSecretValueRequest request)
    {
        var url = new StringBuilder(_baseUrl).Append("/secretsmanager/get?secretId=").Append(Uri.EscapeDataString(request.SecretId));
        if (!string.IsNullOrEmpty(request.VersionStage))
        {
            url.Append("&versionStage=").Append(Uri.EscapeDataString(request.VersionStage));
        }

        if (!string.IsNullOrEmpty(request.VersionId))
        {
            url.Append("&versionId=").Append(Uri.EscapeDataString(request.VersionId));
        }

        if (request.RefreshNow)
        {
            url.Append("&refreshNow=true");
        }

        return url.ToString();
    }

    private async Task<Outcome> TryOnceAsync(string url, string secretId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(_sessionToken))
        {
            message.Headers.TryAddWithoutValidation(TokenHeader, _sessionToken);
        }

        HttpResponseMessage answer;
        try
        {
            answer = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return Outcome.Fail(Error(secretId, $"the extension at {_baseUrl} could not be reached ({e.Message}).", null, e), retryable: true);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome.Fail(Error(secretId, $"the extension at {_baseUrl} did not answer within {AttemptTimeout.TotalSeconds:0} s.", null, e), retryable: false);
        }

        using (answer)
        {
            var status = answer.StatusCode;
            var body = await answer.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (answer.IsSuccessStatusCode)
            {
                return Parse(body, secretId);
            }

            // Bodies are not quoted in messages: an unexpected server could echo anything.
            var description = $"the extension answered {(int)status} ({status}).";
            if ((int)status >= 500 || (status == HttpStatusCode.BadRequest && IsNotReady(body)))
            {
                return Outcome.Fail(Error(secretId, description, status), retryable: true);
            }

            var hint = status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $" Check that {TokenHeader} carries the value of {EnvironmentVariables.SessionToken}.",
                HttpStatusCode.NotFound => " The secret does not exist, or the function's role may not read it.",
                _ => string.Empty,
            };
            return Outcome.Fail(Error(secretId, description + hint, status), retryable: false);
        }
    }

    private static Outcome Parse(byte[] body, string secretId)
    {
        try
        {
            var response = JsonSerializer.Deserialize(body, SecretsJsonContext.Default.GetSecretValueResponse);
            if (response is not null)
            {
                return Outcome.Success(response);
            }
        }
        catch (JsonException)
        {
            // Dropped on purpose: a parser message may quote part of the body, which holds the secret.
        }

        return Outcome.Fail(Error(secretId, "the extension's answer is not GetSecretValue JSON.", HttpStatusCode.OK), retryable: false);
    }

    private static bool IsNotReady(byte[] body) =>
        // The extension says "not ready to serve traffic, please wait" while it starts.
        Encoding.UTF8.GetString(body).Contains("not ready", StringComparison.OrdinalIgnoreCase);

    private static SecretsManagerExtensionException Error(string secretId, string what, HttpStatusCode? status, Exception? inner = null) =>
        new($"Getting secret '{secretId}' from the Parameters and Secrets extension failed: {what}", secretId, status, inner);

    private readonly record struct Outcome(GetSecretValueResponse? Response, SecretsManagerExtensionException? Failure, bool Retryable)
    {
        public static Outcome Success(GetSecretValueResponse response) => new(response, null, false);

        public static Outcome Fail(SecretsManagerExtensionException failure, bool retryable) => new(null, failure, retryable);
    }
}
