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
    private readonly Func<CancellationToken, Task<string>>? _readSecret;
    private readonly TopicClientOptions _options;
    private readonly FunctionLog _log;
    private readonly Lock _rotation = new();

    private readonly string _endpoint;
    private SecretsManagerExtensionClient? _ownedSecrets;
    private TopicClient _client;
    private byte[] _key;
    private int _generation;

    // The generation whose re-read last replaced the client (0: none did).
    private int _rotatedAt;

    // The re-read under way: calls refused meanwhile share it (and its answer) instead of each reading the secret in
    // turn. Set and cleared under _rotation.
    private Task<bool>? _reread;

    private MomentoConnection(
        MomentoSettings settings,
        Func<CancellationToken, Task<string>>? readSecret,
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
    }

    /// <summary>The current client; callers take it once per operation.</summary>
    public TopicClient Client => Volatile.Read(ref _client);

    /// <summary>Increments each time a refusal made the secret be re-read (a rotation replaced the client then, or the key
    /// was the same); a call takes it when it starts and hands it to <see cref="TryRotateAsync"/>.</summary>
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
        Func<CancellationToken, Task<string>>? readSecret = null;
        if (settings.KeySource is MomentoKeySource.Secret secret)
        {
            if (secrets is null)
            {
                throw new ConfigurationException("A Secrets Manager key source needs the Parameters and Secrets extension client.");
            }

            var secretId = secret.SecretId;
            readSecret = async ct =>
            {
                var response = await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secretId }, ct).ConfigureAwait(false);
                return response.SecretString
                    ?? throw new ConfigurationException($"The secret '{secretId}' has no SecretString: store the Momento key as text.");
            };
        }

        var clientOptions = (options ?? TopicClientOptions.Lambda()) with
        {
            PublishTimeout = settings.PublishTimeout,
            IdleConnectionRecycleAfter = settings.IdleRecycleAfter,
        };

        // The TCP handshake needs no key, only the Ping does: when the endpoint is known up front, it runs while the key is read.
        using var early = StartEarlyConnection(settings, clientOptions.ConnectTimeout);
        var (credentials, key) = await ResolveCredentialsAsync(settings, readSecret, cancellationToken).ConfigureAwait(false);
        timeline?.Mark("key read");
        var client = TopicClient.Create(credentials, clientOptions, early);
        timeline?.Mark("client built");
        var connection = new MomentoConnection(settings, readSecret, clientOptions, log, client, key, credentials.CacheEndpoint.ToString());
        await connection.WarmAsync(cancellationToken).ConfigureAwait(false);
        timeline?.Mark("connection warmed");
        return connection;
    }

    /// <summary>Opens the HTTP/2 connection now (Ping), so the first request does not pay for it.</summary>
    public async Task<TopicConnectResponse> WarmAsync(CancellationToken cancellationToken)
    {
        var response = await Client.ConnectAsync(cancellationToken).ConfigureAwait(false);
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

        return response;
    }

    /// <summary>
    /// After an authentication failure: re-reads the secret once and, if the key changed (rotation), replaces the
    /// client. Returns true when the caller should retry with <see cref="Client"/>. Calls refused together (many
    /// invocations at once on Lambda Managed Instances, or a batch) read the secret once: those refused while a
    /// re-read is under way share it, and a call refused after a re-read that ended since it started takes that answer.
    /// </summary>
    /// <param name="failedGeneration">The <see cref="Generation"/> taken when the failed call started: if a re-read
    /// ended since, its answer stands (retry when it replaced the client, else give up).</param>
    /// <param name="cancellationToken">Stops waiting for the re-read (which goes on for the others sharing it).</param>
    public async Task<bool> TryRotateAsync(int failedGeneration, CancellationToken cancellationToken)
    {
        if (_readSecret is null)
        {
            return false;
        }

        Task<bool> reread;
        lock (_rotation)
        {
            if (Generation != failedGeneration)
            {
                return _rotatedAt > failedGeneration;
            }

            reread = _reread ??= RereadAsync();
        }

        return await reread.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> RereadAsync()
    {
        // Never completes inside the caller's lock: the finally below must run after _reread is set.
        await Task.Yield();
        bool? rotated = null;
        try
        {
            // Not the first caller's token: the others wait for this read too.
            var (credentials, key) = await ResolveCredentialsAsync(_settings, _readSecret, CancellationToken.None).ConfigureAwait(false);
            rotated = !CryptographicOperations.FixedTimeEquals(key, _key);
            if (rotated.Value)
            {
                var old = _client;
                Volatile.Write(ref _client, TopicClient.Create(credentials, _options));
                _key = key;
                _ = DisposeLaterAsync(old);
                _log.Info("Momento key rotated: the client was rebuilt with the new key");
            }
            else
            {
                _log.Warn("Momento rejected the key and the secret still holds the same key");
            }

            return rotated.Value;
        }
        finally
        {
            // One step: a call refused from now on either shares nothing or sees this re-read's answer.
            lock (_rotation)
            {
                if (rotated is { } replaced)
                {
                    _generation++;
                    _rotatedAt = replaced ? _generation : _rotatedAt;
                }

                _reread = null;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _ownedSecrets?.Dispose();
    }

    /// <summary>The connection to open while the key is read: to the local server, or to the configured endpoint (which a
    /// key's own endpoint may still replace, and then this one goes unused). None when the endpoint comes with the key.</summary>
    private static EarlyConnection? StartEarlyConnection(MomentoSettings settings, TimeSpan connectTimeout)
    {
        try
        {
            return settings.KeySource switch
            {
                MomentoKeySource.Local local => EarlyConnection.ToLocal(local.HostPort, connectTimeout),
                _ when settings.Endpoint is { } endpoint => EarlyConnection.ToEndpoint(endpoint, connectTimeout),
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
        Func<CancellationToken, Task<string>>? readSecret,
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
                    var material = MomentoKeyMaterial.ParseSecret(await readSecret!(cancellationToken).ConfigureAwait(false), secret.SecretId);

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
