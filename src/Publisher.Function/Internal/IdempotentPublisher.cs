using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;
using Functions.Common.Http;
using Publisher.Contracts;

namespace Publisher.Function.Internal;

/// <summary>
/// The publish step for requests that carry idempotency keys: claim each key, publish only what was claimed (or carries
/// no key), answer, then keep each claimed message's answer or, when its publish certainly was not executed, free its key.
/// A request or message whose key holds an answer gets it replayed; one whose key is in flight or names another request
/// gets 409 or 422; when the cache cannot be asked, nothing is published without its guard.
/// </summary>
internal sealed class IdempotentPublisher
{
    /// <summary>The <c>contentType</c> of a kept batch message that was published: its body is the byte count.</summary>
    private const string PublishedBytes = "bytes";

    private readonly MomentoPublisher _publisher;
    private readonly IdempotencyStore _store;
    private readonly PublisherSettings _settings;
    private readonly TimeProvider _time;

    public IdempotentPublisher(MomentoPublisher publisher, IdempotencyStore store, PublisherSettings settings, TimeProvider time)
    {
        _publisher = publisher;
        _store = store;
        _settings = settings;
        _time = time;
    }

    public async Task<ApiResponse> ServeAsync(RouteMatch route, ApiRequest request, PublishMessage[] messages, ILambdaContext context, InvocationRecord record, CancellationToken cancellationToken)
    {
        record.Keyed = true;
        var single = route.Route != PublisherRoute.Batch;
        var timeout = Budget(context);
        if (timeout <= TimeSpan.Zero)
        {
            record.ErrorCode = FailureMapper.NoTimeLeftCode;
            return FailureMapper.NoTimeLeft().ToResponse(_settings.ProblemTypes, request.RequestId);
        }

        // A crashed or timed-out claimer holds the key no longer than this invocation could have run.
        var claimTtl = context.RemainingTime + TimeSpan.FromSeconds(1);
        var fingerprints = messages.Select(m => m.IdempotencyKey is null ? null : single ? Fingerprints.OfRequest(request, route) : Fingerprints.OfBatchMessage(m)).ToArray();
        var claims = await Task.WhenAll(messages.Select((m, i) => m.IdempotencyKey is { } key
            ? _store.ClaimAsync(key, fingerprints[i]!, claimTtl, timeout, cancellationToken)
            : Task.FromResult<ClaimResult>(new ClaimResult.Claimed()))).ConfigureAwait(false);

        var settled = new BatchResult?[messages.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            switch (claims[i])
            {
                case ClaimResult.Replay { Answer: var answer }:
                    record.IdempotentReplays++;
                    if (single)
                    {
                        return answer.ToResponse();
                    }

                    settled[i] = Replayed(i, messages[i], answer);
                    break;
                case ClaimResult.Conflict { Problem: var problem }:
                    record.IdempotencyConflicts++;
                    if (single)
                    {
                        return problem.ToResponse(_settings.ProblemTypes, request.RequestId);
                    }

                    settled[i] = new BatchResult(i, messages[i].TopicName, problem.Status, null, problem.ToDetails(_settings.ProblemTypes, null));
                    break;
                case ClaimResult.StoreFailed { Problem: var problem, Error: var error }:
                    record.ErrorCode = "IDEMPOTENCY_" + error.MomentoName;
                    record.ErrorMessage = error.Message;
                    if (single)
                    {
                        return problem.ToResponse(_settings.ProblemTypes, request.RequestId);
                    }

                    settled[i] = new BatchResult(i, messages[i].TopicName, problem.Status, null, problem.ToDetails(_settings.ProblemTypes, null));
                    break;
            }
        }

        var publish = Enumerable.Range(0, messages.Length).Where(i => settled[i] is null).ToArray();
        var publishing = _time.GetTimestamp();
        var published = await _publisher.PublishAsync([.. publish.Select(i => messages[i])], context, cancellationToken).ConfigureAwait(false);
        var outcomes = new PublishOutcome[messages.Length];
        Array.Fill(outcomes, PublishOutcome.Published);
        for (var j = 0; j < publish.Length; j++)
        {
            outcomes[publish[j]] = published[j];
        }

        if (publish.Length > 0)
        {
            record.AddPublishes(route, [.. publish.Select(i => messages[i])], published, _time.GetElapsedTime(publishing));
        }

        record.Messages = messages.Length;
        var response = PublishResponses.For(route, messages, outcomes, _settings.ProblemTypes, request.RequestId, settled);
        var settling = publish.Where(i => messages[i].IdempotencyKey is not null).Select(i => SettleAsync(messages[i], fingerprints[i]!, outcomes[i], response, single, context, cancellationToken));
        foreach (var failure in await Task.WhenAll(settling).ConfigureAwait(false))
        {
            record.IdempotencyStoreError ??= failure;
        }

        return response;
    }

    // Keeps the answer, or frees the key when the publish certainly was not executed, so that a retry can publish.
    private async Task<string?> SettleAsync(PublishMessage message, byte[] fingerprint, PublishOutcome outcome, ApiResponse response, bool single, ILambdaContext context, CancellationToken cancellationToken)
    {
        var key = message.IdempotencyKey!;
        var timeout = Budget(context);
        if (timeout <= TimeSpan.Zero)
        {
            // The claim expires with its short TTL; until then a retry is told to wait.
            return FailureMapper.NoTimeLeftCode;
        }

        var certainlyNotExecuted = outcome.Problem is not null && outcome.Error?.MayHaveExecuted != true;
        if (certainlyNotExecuted)
        {
            return (await _store.ReleaseAsync(key, timeout, cancellationToken).ConfigureAwait(false))?.MomentoName;
        }

        StoredAnswer answer;
        if (single)
        {
            int? retryAfter = response.Headers is { } headers && headers.TryGetValue("Retry-After", out var seconds) ? int.Parse(seconds, CultureInfo.InvariantCulture) : null;
            answer = new StoredAnswer(fingerprint, response.StatusCode, response.ContentType, retryAfter, response.Body);
        }
        else if (outcome.Problem is { } problem)
        {
            answer = new StoredAnswer(fingerprint, problem.Status, MediaTypes.ProblemJson, null,
                JsonSerializer.SerializeToUtf8Bytes(problem.ToDetails(_settings.ProblemTypes, null), ProblemJsonContext.Default.ProblemDetails));
        }
        else
        {
            answer = new StoredAnswer(fingerprint, 200, PublishedBytes, null, Encoding.ASCII.GetBytes(message.ByteCount.ToString(CultureInfo.InvariantCulture)));
        }

        return (await _store.KeepAsync(key, answer, timeout, cancellationToken).ConfigureAwait(false))?.MomentoName;
    }

    private static BatchResult Replayed(int index, PublishMessage message, StoredAnswer answer)
    {
        if (answer.ContentType == PublishedBytes && int.TryParse(Encoding.ASCII.GetString(answer.Body), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            return new BatchResult(index, message.TopicName, answer.Status, bytes, null) { Replayed = true };
        }

        var problem = JsonSerializer.Deserialize(answer.Body, ProblemJsonContext.Default.ProblemDetails);
        return new BatchResult(index, message.TopicName, answer.Status, null, problem) { Replayed = true };
    }

    private TimeSpan Budget(ILambdaContext context)
    {
        var remaining = context.RemainingTime - PublisherSettings.DeadlineMargin;
        return remaining < _settings.Momento.PublishTimeout ? remaining : _settings.Momento.PublishTimeout;
    }
}
