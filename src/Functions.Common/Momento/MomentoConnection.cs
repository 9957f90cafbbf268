using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Functions.Common.Configuration;
using Functions.Common.Observability;
using Functions.Common.Secrets;
using Momento.Topics.Client;
using Publisher.Contracts;

namespace Functions.Common.Momento;

/// <summary>
/// The one Momento client of an execution environment: built in the init phase, warmed, reused by
/// every invocation, and rebuilt only when the key in Secrets Manager has been rotated.
/// </summary>
public sealed class MomentoConnection : IAsyncDisposable
{
    private readonly MomentoSettings _settings;
    private readonly Func<bool, CancellationToken, Task<string>>? _readSecret;
    private readonly TimeProvider _time;
    private readonly TopicClientOptions _options;
    private readonly FunctionLog _log;
    private readonly SemaphoreSlim _rotation = new(1, 1);

    private string _endpoint;
    private SecretsManagerExtensionClient? _ownedSecrets;
    private TopicClient _client;
    private byte[] _key;
    private int _generation;
    private long? _unchangedAt;

    private MomentoConnection(
        MomentoSettings settings,
        Func<bool, CancellationToken, Task<string>>? readSecret,
        TopicClientOptions options,
        FunctionLog log,
        TopicClient client,
        byte[] key,
        string endpoint)
    {
        _endpoint = endpoint;
        _settings = settings;
        _readSecret = readSecret;
        _options = options;
        _log = log;
        _client = client;
        _key = key;
        _time = TimeProvider.System;
    }

    /// <summary>
    /// After a re-read found the same key and endpoint, further authentication failures within this time answer at once
    /// instead of asking Secrets Manager again: a wrong key must not turn every failed publish into a Secrets Manager call.
    /// </summary>
    public static TimeSpan UnchangedRereadInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The current client; callers take it once per operation.</summary>
    public TopicClient Client => Volatile.Read(ref _client);

    /// <summary>Increments each time a rotation replaced the client.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The cache the functions publish to and subscribe from.</summary>
    public string CacheName => _settings.CacheName;

    /// <summary>
    /// Init-phase work for a function: like the overload below, with the secrets-extension client built from the
    /// environment (<c>PARAMETERS_SECRETS_EXTENSION_HTTP_PORT</c>, <c>AWS_SESSION_TOKEN</c>) when the key is in a
    /// secret, and kept for the connection's lifetime, since a rotation re-reads the secret long after init.
    /// </summary>
    public static async Task<MomentoConnection> OpenAsync(
        MomentoSettings settings,
        SettingsReader environment,
        FunctionLog log,
        TopicClientOptions? options = null,
        StartupTimeline? timeline = null,
        CancellationToken cancellationToken = default)
    {
        var secrets = settings.KeySource is MomentoKeySource.Secret ? SecretsManagerExtensionClient.FromEnvironment(environment) : null;
        try
        {
            var connection = await OpenAsync(settings, secrets, log, options, timeline, cancellationToken).ConfigureAwait(false);
            connection._ownedSecrets = secrets;
            return connection;
        }
        catch
        {
            secrets?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Init-phase work: reads the key (the extension client retries while it starts), builds the client and
    /// warms its connection within the client's connect timeout. A failed warm-up is logged, not fatal.
    /// </summary>
    /// <param name="settings">Validated settings.</param>
    /// <param name="secrets">Reads the secret when the key source is Secrets Manager; null otherwise.</param>
    /// <param name="log">Where the warm-up outcome is logged.</param>
    /// <param name="options">Client options; defaults to <see cref="TopicClientOptions.Lambda"/> with the settings' timeouts.</param>
    /// <param name="timeline">Marks each step when the benchmark's startup timeline is on; null otherwise.</param>
    /// <param name="cancellationToken">Cancels the init work.</param>
    public static async Task<MomentoConnection> OpenAsync(
        MomentoSettings settings,
        SecretsManagerExtensionClient? secrets,
        FunctionLog log,
        TopicClientOptions? options = null,
        StartupTimeline? timeline = null,
        CancellationToken cancellationToken = default)
    {
        Func<bool, CancellationToken, Task<string>>? readSecret = null;
        if (settings.KeySource is MomentoKeySource.Secret secret)
        {
            if (secrets is null)
            {
                throw new ConfigurationException("A Secrets Manager key source needs the Parameters and Secrets extension client.");
            }

            var secretId = secret.SecretId;
            // A re-read after an authentication failure must see the current version despite the extension's cache (TTL up
            // to 300 s): it asks for a refresh (refreshNow) of the AWSCURRENT version, a cache entry of its own that the
            // init read never filled, so even an extension that ignores refreshNow fetches it afresh the first time.
            readSecret = async (fresh, ct) =>
            {
                var request = fresh
                    ? new GetSecretValueRequest { SecretId = secretId, VersionStage = "AWSCURRENT", RefreshNow = true }
                    : new GetSecretValueRequest { SecretId = secretId };
                var response = await secrets.GetSecretValueAsync(request, ct).ConfigureAwait(false);
                return response.SecretString
                    ?? throw new ConfigurationException($"The secret '{secretId}' has no SecretString: store the Momento key as text.");
            };
        }

        var clientOptions = (options ?? TopicClientOptions.Lambda()) with
        {
            PublishTimeout = settings.PublishTimeout,
            IdleConnectionRecycleAfter = settings.IdleRecycleAfter,
        };

        // The TCP and TLS handshakes need no key, only the calls do: when the endpoint is known up front, they run while the key is read.
        using var early = StartEarlyConnection(settings, clientOptions);
        var (credentials, key) = await ResolveCredentialsAsync(settings, readSecret, fresh: false, cancellationToken).ConfigureAwait(false);
        timeline?.Mark("key read");
        var client = TopicClient.Create(credentials, clientOptions, early);
        timeline?.Mark("client built");
        var connection = new MomentoConnection(settings, readSecret, clientOptions, log, client, key, credentials.CacheEndpoint.ToString());
        await connection.WarmAsync(cancellationToken).ConfigureAwait(false);
        timeline?.Mark(client.Connected.IsCompleted ? "connection open" : "connection check failed");
        return connection;
    }

    /// <summary>
    /// Opens the connection now (TCP, TLS) with a Ping, so the first request does not pay for it. Returns once the
    /// connection is up, not when the Ping is answered: a caller waiting on this cold start would pay that round trip
    /// again, and the first publish follows the Ping on the same connection anyway. A Ping that fails before the
    /// connection is up (a wrong endpoint, an untrusted certificate) is its answer; one that fails after (a rejected
    /// key) is logged when it arrives.
    /// </summary>
    public async Task<TopicConnectResponse> WarmAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var client = Client;
        var ping = client.ConnectAsync(cancellationToken);
        await Task.WhenAny(ping, client.Connected).ConfigureAwait(false);
        if (!ping.IsCompleted)
        {
            var connected = new TopicConnectResponse.Success(Stopwatch.GetElapsedTime(started));
            LogWarmUp(connected);
            _ = LogIfFailedAsync(ping);
            return connected;
        }

        var response = await ping.ConfigureAwait(false);
        LogWarmUp(response);
        return response;
    }

    private async Task LogIfFailedAsync(Task<TopicConnectResponse> ping)
    {
        if (await ping.ConfigureAwait(false) is TopicConnectResponse.Error error)
        {
            LogWarmUp(error);
        }
    }

    private void LogWarmUp(TopicConnectResponse response)
    {
        switch (response)
        {
            case TopicConnectResponse.Success success:
                _log.Info("Momento connection warmed", w =>
                {
                    w.WriteString("endpoint", _endpoint);
                    w.WriteNumber("warmupMs", Math.Round(success.Elapsed.TotalMilliseconds, 2));
                });
                break;
            case TopicConnectResponse.Error error:
                _log.Warn("Momento connection warm-up failed; the first call will connect", w =>
                {
                    w.WriteString("endpoint", _endpoint);
                    w.WriteString("errorCode", error.TopicError.Code.ToMomentoName());
                    w.WriteString("error", error.TopicError.Message);
                });
                break;
        }
    }

    /// <summary>
    /// After an authentication failure: re-reads the secret once, past the extension's cache and within
    /// <paramref name="budget"/>, and replaces the client when the key or its endpoint changed (a rotation).
    /// Never throws for a failed or malformed re-read: that is <see cref="KeyRefresh.Failed"/>, logged here.
    /// </summary>
    /// <param name="failedGeneration">The <see cref="Generation"/> the failed call used: if another call
    /// already rotated since, the caller simply retries.</param>
    /// <param name="budget">The time the invocation can give the re-read (waiting for another call's re-read included).</param>
    /// <param name="cancellationToken">Abandons the invocation; its cancellation propagates.</param>
    public async Task<KeyRefresh> TryRotateAsync(int failedGeneration, TimeSpan budget, CancellationToken cancellationToken)
    {
        if (_readSecret is null)
        {
            return KeyRefresh.Unchanged;
        }

        if (budget <= TimeSpan.Zero)
        {
            LogRereadFailed("no time was left in the invocation");
            return KeyRefresh.Failed;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            await _rotation.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogRereadFailed("the invocation's time ran out waiting for another re-read");
            return KeyRefresh.Failed;
        }

        try
        {
            if (Generation != failedGeneration)
            {
                return KeyRefresh.Rotated;
            }

            if (_unchangedAt is { } at && _time.GetElapsedTime(at) < UnchangedRereadInterval)
            {
                return KeyRefresh.Unchanged;
            }

            CredentialProvider credentials;
            byte[] key;
            try
            {
                (credentials, key) = await ResolveCredentialsAsync(_settings, _readSecret, fresh: true, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogRereadFailed(string.Create(CultureInfo.InvariantCulture, $"the invocation's time ran out ({budget.TotalMilliseconds:0} ms)"));
                return KeyRefresh.Failed;
            }
            catch (Exception e) when (e is SecretsManagerExtensionException or ConfigurationException)
            {
                // Both messages name the secret and never hold its value.
                LogRereadFailed(e.Message);
                return KeyRefresh.Failed;
            }

            var endpoint = credentials.CacheEndpoint.ToString();
            if (CryptographicOperations.FixedTimeEquals(key, _key) && endpoint == _endpoint)
            {
                _unchangedAt = _time.GetTimestamp();
                _log.Warn("Momento rejected the key and the secret still holds the same key and endpoint");
                return KeyRefresh.Unchanged;
            }

            var old = _client;
            Volatile.Write(ref _client, TopicClient.Create(credentials, _options));
            _key = key;
            _endpoint = endpoint;
            _unchangedAt = null;
            Interlocked.Increment(ref _generation);
            _log.Info("Momento key rotated: the client was rebuilt with the new key", w => w.WriteString("endpoint", endpoint));
            _ = DisposeLaterAsync(old);
            return KeyRefresh.Rotated;
        }
        finally
        {
            _rotation.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _rotation.Dispose();
        _ownedSecrets?.Dispose();
    }

    /// <summary>The connection to open while the key is read: to the local server, or to the configured endpoint (which a
    /// key's own endpoint may still replace, and then this one goes unused). None when the endpoint comes with the key.</summary>
    private static EarlyConnection? StartEarlyConnection(MomentoSettings settings, TopicClientOptions options)
    {
        try
        {
            return settings.KeySource switch
            {
                MomentoKeySource.Local local => EarlyConnection.ToLocal(local.HostPort, options),
                _ when settings.Endpoint is { } endpoint => EarlyConnection.ToEndpoint(endpoint, options),
                _ => null,
            };
        }
        catch (InvalidCredentialException)
        {
            // Reported with the setting to fix when the credentials are parsed.
            return null;
        }
    }

    private static async Task<(CredentialProvider Credentials, byte[] Key)> ResolveCredentialsAsync(
        MomentoSettings settings,
        Func<bool, CancellationToken, Task<string>>? readSecret,
        bool fresh,
        CancellationToken cancellationToken)
    {
        try
        {
            switch (settings.KeySource)
            {
                case MomentoKeySource.Local local:
                    return (CredentialProvider.ForLocal(local.HostPort), KeyBytes(local.HostPort));
                case MomentoKeySource.Direct direct:
                    return (CredentialProvider.FromApiKey(direct.ApiKey, settings.Endpoint), KeyBytes(direct.ApiKey));
                case MomentoKeySource.Secret secret:
                    var material = MomentoKeyMaterial.ParseSecret(await readSecret!(fresh, cancellationToken).ConfigureAwait(false), secret.SecretId);

                    // The endpoint stored with the key wins: they were issued together.
                    return (CredentialProvider.FromApiKey(material.ApiKey, material.Endpoint ?? settings.Endpoint), KeyBytes(material.ApiKey));
                default:
                    throw new ConfigurationException("Unknown Momento key source.");
            }
        }
        catch (InvalidCredentialException e)
        {
            // The credential parser's messages never contain the key; add which setting to fix.
            var check = settings.KeySource switch
            {
                MomentoKeySource.Secret secret => $"the key in the secret '{secret.SecretId}' and its endpoint or {EnvironmentVariables.Endpoint}",
                MomentoKeySource.Local => EnvironmentVariables.LocalEndpoint,
                _ => $"{EnvironmentVariables.ApiKey} and {EnvironmentVariables.Endpoint}",
            };
            throw new ConfigurationException($"{e.Message} Check {check}.");
        }
    }

    private void LogRereadFailed(string why) =>
        _log.Error("Momento rejected the key and re-reading the secret failed", w => w.WriteString("error", why));

    // Compared as they are (in fixed time) to tell a rotation: a hash would load OpenSSL in init for nothing, and the
    // client holds the key in memory anyway.
    private static byte[] KeyBytes(string key) => Encoding.UTF8.GetBytes(key);

    private static async Task DisposeLaterAsync(TopicClient client)
    {
        // Calls already holding the old client may still be finishing.
        await Task.Delay(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>What re-reading the key after an authentication failure came to.</summary>
public enum KeyRefresh
{
    /// <summary>The secret holds the same key and endpoint (or re-reads are paused after one that did): retrying is pointless.</summary>
    Unchanged,

    /// <summary>The client now uses the current key (this call or a concurrent one rebuilt it): retry once.</summary>
    Rotated,

    /// <summary>The secret could not be read, was malformed, or the invocation's time ran out: logged, nothing changed.</summary>
    Failed,
}
