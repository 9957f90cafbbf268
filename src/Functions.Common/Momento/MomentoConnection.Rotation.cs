using System.Globalization;
using System.Security.Cryptography;
using Functions.Common.Configuration;
using Functions.Common.Secrets;
using Momento.Topics.Client;

namespace Functions.Common.Momento;

/// <summary>Key rotation: after an authentication failure, re-reads the secret and rebuilds the client when the key changed.</summary>
public sealed partial class MomentoConnection
{
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

    private void LogRereadFailed(string why) =>
        _log.Error("Momento rejected the key and re-reading the secret failed", w => w.WriteString("error", why));

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
