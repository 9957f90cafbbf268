using System.Diagnostics;
using System.Globalization;
using Publisher.Contracts;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>The <c>--idempotency</c> check: one key sent twice must be answered once, replayed, and published once.</summary>
internal sealed partial class DeploymentVerifier
{
    // How long an idempotency session listens for a duplicate after the probe.
    private const int IdempotencyListenMs = 3000;

    /// <summary>
    /// The idempotency check: the subscriber listens on a fresh topic for a marker and the probe; the marker goes out
    /// unkeyed, then the probe twice with one <c>Idempotency-Key</c>. The second answer must be the first, replayed, and
    /// the probe must arrive exactly once. A session that missed the marker (it subscribed late) is tried again.
    /// </summary>
    public async Task<Outcome> RunIdempotencyAsync(string? topic, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        while (clock.Elapsed < timeout)
        {
            attempts++;
            var id = "idem-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
            var onTopic = topic ?? id;
            var (marker, probe) = (id + "-marker", id + "-probe");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Three items end the session early: the marker, the probe and a duplicate; else it listens out its window.
            var listenMs = (int)Math.Clamp((timeout - clock.Elapsed).TotalMilliseconds, 1, IdempotencyListenMs);
            var verifyTask = PostJsonAsync(_verifyBaseUrl, "verify", w =>
            {
                w.WriteString("topic", onTopic);
                w.WriteNumber("listenMs", listenMs);
                w.WriteNumber("count", 3);
            }, stop.Token);
            await Task.WhenAny(verifyTask, Task.Delay(FirstProbeInterval * 2, stop.Token)).ConfigureAwait(false);

            using (var sent = await PublishAsync(onTopic, marker, key: null, stop.Token).ConfigureAwait(false))
            {
                if (!sent.IsSuccessStatusCode)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    await AbandonAsync(verifyTask).ConfigureAwait(false);
                    return new Outcome(1, $"idempotency: the unkeyed marker failed with status {(int)sent.StatusCode}{Detail(sent, await sent.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))}", null, 0);
                }
            }

            using var first = await PublishAsync(onTopic, probe, id, stop.Token).ConfigureAwait(false);
            using var second = await PublishAsync(onTopic, probe, id, stop.Token).ConfigureAwait(false);
            var firstBody = await first.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var secondBody = await second.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var replayed = second.Headers.TryGetValues(HttpContract.IdempotentReplayedHeader, out var values) && values.Contains("true");
            if (!first.IsSuccessStatusCode || !second.IsSuccessStatusCode || !replayed || firstBody != secondBody)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await AbandonAsync(verifyTask).ConfigureAwait(false);
                return new Outcome(
                    1,
                    $"idempotency: one key twice answered {(int)first.StatusCode} then {(int)second.StatusCode}" +
                    (replayed ? string.Empty : $" without {HttpContract.IdempotentReplayedHeader}: true") +
                    (firstBody == secondBody ? string.Empty : ", with different bodies") + Detail(second, secondBody),
                    null,
                    2);
            }

            using var verify = await verifyTask.ConfigureAwait(false);
            var result = verify.IsSuccessStatusCode ? ReadResult(await verify.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) : null;
            if (result is null)
            {
                return new Outcome(1, $"idempotency: POST /verify answered {(int)verify.StatusCode} without the subscriber's result", null, 2);
            }

            var copies = result.Items.Count(item => item.Text == probe);
            if (result.Items.Any(item => item.Text == marker))
            {
                return copies == 1
                    ? new Outcome(0, $"OK: one Idempotency-Key twice: the second answer was the first, replayed ({HttpContract.IdempotentReplayedHeader}: true), and the probe arrived once", null, 2)
                    : new Outcome(1, $"idempotency: the probe published twice with one key arrived {copies} times", null, 2);
            }
        }

        return new Outcome(1, $"idempotency: the subscriber saw none of {attempts} marker(s) within {timeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s", null, 0);
    }

    private Task<HttpResponseMessage> PublishAsync(string topic, string value, string? key, CancellationToken cancellationToken) =>
        PostJsonAsync(_baseUrl, "topics", w =>
        {
            w.WriteString("topicName", topic);
            w.WriteString("topicValue", value);
        }, cancellationToken, key);
}
