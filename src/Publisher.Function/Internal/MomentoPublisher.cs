using Amazon.Lambda.Core;
using Functions.Common.Http;
using Functions.Common.Momento;
using Momento.Topics.Client;

namespace Publisher.Function.Internal;

/// <summary>What publishing one message came to: nothing wrong, or the problem and Momento's error (or our own code) behind it.</summary>
internal sealed record PublishOutcome(Problem? Problem, TopicError? Error, bool Rotated, string? OwnCode = null)
{
    public static readonly PublishOutcome Published = new(null, null, false);

    /// <summary>The code logged and counted for a failure: Momento's, or ours (no time left, a failed key re-read).</summary>
    public string? ErrorCode => Problem is null ? null : OwnCode ?? Error?.Code.ToMomentoName() ?? FailureMapper.NoTimeLeftCode;
}

/// <summary>
/// The publish step: each message over the one warm connection, within the invocation's deadline, retried once
/// after a key rotation (a rejected key is never executed, so that retry cannot duplicate).
/// </summary>
internal sealed class MomentoPublisher
{
    private readonly MomentoConnection _momento;
    private readonly TimeSpan _publishTimeout;

    public MomentoPublisher(MomentoConnection momento, PublisherSettings settings)
    {
        _momento = momento;
        _publishTimeout = settings.Momento.PublishTimeout;
    }

    /// <summary>Publishes every message; a batch goes concurrently over the one channel (HTTP/2 multiplexes the calls).</summary>
    public Task<PublishOutcome[]> PublishAsync(PublishMessage[] messages, ILambdaContext context, CancellationToken cancellationToken) =>
        Task.WhenAll(messages.Select(m => PublishOneAsync(m, context, cancellationToken)));

    private async Task<PublishOutcome> PublishOneAsync(PublishMessage message, ILambdaContext context, CancellationToken cancellationToken)
    {
        var budget = Budget(context);
        if (budget <= TimeSpan.Zero)
        {
            return new PublishOutcome(FailureMapper.NoTimeLeft(), null, false);
        }

        var generation = _momento.Generation;
        var response = await SendAsync(message, budget, cancellationToken).ConfigureAwait(false);
        var rotated = false;
        if (response is TopicPublishResponse.Error { TopicError.Code: MomentoErrorCode.AuthenticationError } rejected)
        {
            switch (await _momento.TryRotateAsync(generation, Budget(context), cancellationToken).ConfigureAwait(false))
            {
                case KeyRefresh.Failed:
                    return new PublishOutcome(FailureMapper.KeyRereadFailed(), rejected.TopicError, false, FailureMapper.KeyRereadFailedCode);
                case KeyRefresh.Rotated:
                    rotated = true;
                    budget = Budget(context);
                    if (budget > TimeSpan.Zero)
                    {
                        response = await SendAsync(message, budget, cancellationToken).ConfigureAwait(false);
                    }

                    break;
            }
        }

        return response is TopicPublishResponse.Error error
            ? new PublishOutcome(FailureMapper.ToProblem(error.TopicError), error.TopicError, rotated)
            : rotated ? PublishOutcome.Published with { Rotated = true } : PublishOutcome.Published;
    }

    private Task<TopicPublishResponse> SendAsync(PublishMessage message, TimeSpan timeout, CancellationToken cancellationToken) =>
        message.Text is not null
            ? _momento.Client.PublishAsync(_momento.CacheName, message.TopicName, message.Text, timeout, cancellationToken)
            : _momento.Client.PublishAsync(_momento.CacheName, message.TopicName, message.Bytes, timeout, cancellationToken);

    // Each publish gets the configured timeout, capped by the invocation's remaining time minus a margin.
    private TimeSpan Budget(ILambdaContext context)
    {
        var remaining = context.RemainingTime - PublisherSettings.DeadlineMargin;
        return remaining < _publishTimeout ? remaining : _publishTimeout;
    }
}
