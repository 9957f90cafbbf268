using Functions.Common.Configuration;
using Functions.Common.Observability;
using Functions.Common.Secrets;
using Momento.Topics.Client;

namespace Functions.Common.Momento;

/// <summary>
/// The one Momento client of an execution environment: built in the init phase, warmed, reused by
/// every invocation, and rebuilt only when the key in Secrets Manager has been rotated.
/// </summary>
public sealed partial class MomentoConnection : IAsyncDisposable
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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _rotation.Dispose();
        _ownedSecrets?.Dispose();
    }

    /// <summary>The connection to open while the key is read: to the local server, or to the configured endpoint (which a
    /// key's own endpoint may still replace, and then this one goes unused). None when the endpoint comes with the key: then only the trusted roots are loaded ahead.</summary>
    private static EarlyConnection? StartEarlyConnection(MomentoSettings settings, TopicClientOptions options)
    {
        try
        {
            return settings.KeySource switch
            {
                MomentoKeySource.Local local => EarlyConnection.ToLocal(local.HostPort, options),
                _ when settings.Endpoint is { } endpoint => EarlyConnection.ToEndpoint(endpoint, options),
                _ => LoadTrustedRootsAhead(),
            };
        }
        catch (InvalidCredentialException)
        {
            // Reported with the setting to fix when the credentials are parsed.
            return null;
        }

        // The endpoint comes with the key, over https unless it names the loopback: its handshake will need the roots.
        static EarlyConnection? LoadTrustedRootsAhead()
        {
            EarlyConnection.LoadTrustedRootsAhead();
            return null;
        }
    }
}
