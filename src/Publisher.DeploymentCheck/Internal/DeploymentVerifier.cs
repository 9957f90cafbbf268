using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Publisher.Contracts;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>
/// Checks a deployment end to end: asks the subscriber to listen for a unique probe, publishes fresh probes
/// through the public publish route until the subscriber reports one (so the subscription's start-up race is
/// handled by design, not by a sleep), and succeeds only when it reports a probe this run published. Behind
/// function URLs the subscriber has a URL of its own.
/// </summary>
internal sealed partial class DeploymentVerifier
{
    // The subscriber answers through API Gateway, whose integration timeout is 29 s.
    private const int MaxListenMs = HttpContract.MaxVerifyListenMs;
    private static readonly TimeSpan FirstProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly Uri _verifyBaseUrl;
    private readonly RequestAuth _auth;
    private readonly TextWriter _output;

    /// <param name="http">Sends every request (signing, when it signs).</param>
    /// <param name="baseUrl">The API's base URL (the publisher's function URL behind function URLs).</param>
    /// <param name="verifyBaseUrl">The subscriber's base URL when it is not <paramref name="baseUrl"/> (its function URL).</param>
    /// <param name="auth">The key or token every request carries.</param>
    /// <param name="output">Where progress goes.</param>
    public DeploymentVerifier(HttpClient http, Uri baseUrl, Uri? verifyBaseUrl, RequestAuth auth, TextWriter output)
    {
        _http = http;
        _baseUrl = ApiBaseOf(baseUrl);
        _verifyBaseUrl = verifyBaseUrl is null ? _baseUrl : ApiBaseOf(verifyBaseUrl);
        _auth = auth;
        _output = output;
    }

    /// <summary>
    /// The API's base URL as people paste it: a query or fragment is dropped (the routes are appended to the path), and
    /// so is a last segment naming one of its routes (<c>…/prod/topics</c>, copied from a curl line), which would
    /// otherwise publish the checker's own requests to topics named <c>verify</c> and <c>topics</c>.
    /// </summary>
    public static Uri ApiBaseOf(Uri url)
    {
        var path = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        foreach (var route in (ReadOnlySpan<string>)["/topics", "/batch", "/verify"])
        {
            if (path.EndsWith(route, StringComparison.OrdinalIgnoreCase) && path.Length - route.Length >= url.GetLeftPart(UriPartial.Authority).Length)
            {
                path = path[..^route.Length];
                break;
            }
        }

        return new Uri(path + "/");
    }

    /// <summary>The verdict: exit code and the line that explains it.</summary>
    public sealed record Outcome(int ExitCode, string Message, TimeSpan? RoundTrip, int ProbesPublished);

    public async Task<Outcome> RunAsync(string? topic, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probeId = "verify-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
        topic ??= probeId;
        var listenMs = (int)Math.Min(timeout.TotalMilliseconds, MaxListenMs);
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await _output.WriteLineAsync($"Verifying {_baseUrl} with topic '{topic}': subscriber listens up to {listenMs} ms for '{probeId}'").ConfigureAwait(false);
        if (_verifyBaseUrl != _baseUrl)
        {
            await _output.WriteLineAsync($"The subscriber is at {_verifyBaseUrl}").ConfigureAwait(false);
        }

        var verifyTask = PostJsonAsync(_verifyBaseUrl, "verify", w =>
        {
            w.WriteString("topic", topic);
            w.WriteNumber("listenMs", listenMs);
            w.WriteString("contains", probeId);
        }, stop.Token);

        var published = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var interval = FirstProbeInterval;
        // The first probe goes out however long sending /verify took: a slow start (a cold process on a loaded machine can
        // spend the whole of a short timeout there) must not end the check with no probe sent, which tests nothing.
        while (!verifyTask.IsCompleted && (published.Count == 0 || clock.Elapsed < timeout))
        {
            var probe = probeId + "-" + published.Count.ToString(CultureInfo.InvariantCulture);
            var sentAt = clock.Elapsed;
            using (var publish = await PostJsonAsync(_baseUrl, "topics", w =>
            {
                w.WriteString("topicName", topic);
                w.WriteString("topicValue", probe);
            }, stop.Token).ConfigureAwait(false))
            {
                if (!publish.IsSuccessStatusCode)
                {
                    var failure = await publish.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    await stop.CancelAsync().ConfigureAwait(false);
                    await AbandonAsync(verifyTask).ConfigureAwait(false);
                    var detail = Detail(publish, failure);
                    return IsAuthFailure(publish.StatusCode, failure)
                        ? new Outcome(1, $"auth rejected: POST /topics answered {(int)publish.StatusCode}{detail}. {AuthAdvice}", null, published.Count)
                        : new Outcome(1, $"publish failed with status {(int)publish.StatusCode}{detail}", null, published.Count);
                }
            }

            published[probe] = sentAt;
            await Task.WhenAny(verifyTask, Task.Delay(interval, stop.Token)).ConfigureAwait(false);
            interval = ProbeInterval;
        }

        // Bounded by the HttpClient's timeout, whose expiry the command reports as no answer.
        using var verify = await verifyTask.ConfigureAwait(false);
        var receivedAt = clock.Elapsed;
        var body = await verify.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!verify.IsSuccessStatusCode)
        {
            var detail = Detail(verify, body);
            return IsAuthFailure(verify.StatusCode, body)
                ? new Outcome(1, $"auth rejected: POST /verify answered {(int)verify.StatusCode}{detail}. {AuthAdvice}", null, published.Count)
                : new Outcome(1, $"verify failed with status {(int)verify.StatusCode}{detail}", null, published.Count);
        }

        if (ReadResult(body) is not { } result)
        {
            return new Outcome(
                1,
                $"POST /verify answered {(int)verify.StatusCode} with something other than the subscriber's result{Detail(body)}. Is --url the stack's ApiUrl output?",
                null,
                published.Count);
        }

        var seen = result.Items.Select(item => item.Text).FirstOrDefault(text => text is not null && published.ContainsKey(text));
        if (result.ConditionMet && seen is not null)
        {
            var roundTrip = receivedAt - published[seen];
            return new Outcome(
                0,
                $"OK: probe '{seen}' published through POST /topics reached the subscriber; round trip {roundTrip.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms ({published.Count} probe(s) sent)",
                roundTrip,
                published.Count);
        }

        return new Outcome(
            1,
            $"probe not seen within {timeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s: {published.Count} probe(s) published, the subscriber " +
            (result.Subscribed ? "was subscribed" : "never received its first heartbeat") + $" and saw {result.Items.Count} other item(s)",
            null,
            published.Count);
    }

    // Read with the subscriber's own records: members this checker does not know are skipped (a newer subscriber may
    // add some), but the ones it requires must be there, so any other 200 (another API, a proxy's page) is named as such.
    private static VerifyResult? ReadResult(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ClientJsonContext.Default.VerifyResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The subscriber's session is moot once publishing failed: end it without leaving its task unobserved.
    private static async Task AbandonAsync(Task<HttpResponseMessage> verify)
    {
        try
        {
            (await verify.ConfigureAwait(false)).Dispose();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
        }
    }

    private string AuthAdvice => _auth.BearerToken is not null
        ? "Check the JWT (--bearer): its issuer, audience and expiry must match the stack's jwtIssuer and jwtAudience."
        : "Check --api-key or the IAM credentials (and the service signed for: --aws-service).";

    // An idempotency key, when given, goes in the Idempotency-Key header.
    private async Task<HttpResponseMessage> PostJsonAsync(
        Uri baseUrl, string path, Action<Utf8JsonWriter> write, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path))
        {
            Content = new ByteArrayContent(buffer.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(HttpContract.IdempotencyKeyHeader, idempotencyKey);
        }

        _auth.Apply(request);
        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    // A 403 problem of type forbidden-topic is the publisher's topic allowlist, not the gateway's authentication.
    private static bool IsAuthFailure(HttpStatusCode status, string body) =>
        status is HttpStatusCode.Unauthorized
        || (status is HttpStatusCode.Forbidden && !body.Contains("/" + HttpContract.ProblemTypes.ForbiddenTopic + "\"", StringComparison.Ordinal));

    // A redirect is not followed (a POST would turn into a GET, and the key would go wherever it points): say where it points.
    private static string Detail(HttpResponseMessage response, string body) =>
        (int)response.StatusCode is >= 300 and < 400
            ? $" (a redirect to {response.Headers.Location?.ToString() ?? "nowhere"}; verify does not follow redirects: give the API's own URL as --url)"
            : Detail(body);

    // Problem details carry a detail line worth showing; anything else is summarised, not dumped.
    private static string Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "detail", "message", "title" })
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return ": " + value.GetString()!.TrimEnd('.');
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return body.Length == 0 ? string.Empty : ": " + (body.Length > 200 ? body[..200] + "…" : body);
    }
}
