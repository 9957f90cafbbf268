using Functions.Common.Http;
using Functions.Common.Momento;
using Microsoft.AspNetCore.Http;
using Momento.Topics.Client;
using Publisher.Contracts;
using Publisher.Local.Internal;

namespace Publisher.Local.WebConsole;

// The requests that start and stop a page's subscriptions, and the connection they share.
internal sealed partial class LocalConsole
{
    private async Task SubscribeAsync(HttpContext context, string pageId)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        if (MediaTypes.Essence(context.Request.ContentType) != MediaTypes.Json)
        {
            // JSON only: a form post from another site cannot send it without a CORS preflight, which gets no approval.
            await WriteProblemAsync(response, Problem.UnsupportedMedia("Send the subscription as application/json."), aborted).ConfigureAwait(false);
            return;
        }

        var body = await BoundedBody.ReadAsync(context.Request, _limits.MaxRequestBodyBytes, aborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteProblemAsync(response, Problem.TooLarge($"A subscription request is at most {Count(_limits.MaxRequestBodyBytes)} bytes."), aborted).ConfigureAwait(false);
            return;
        }

        var (start, invalid) = SubscriptionRequest.Parse(body);
        if (invalid is not null)
        {
            await WriteProblemAsync(response, invalid, aborted).ConfigureAwait(false);
            return;
        }

        var page = FindPage(pageId);
        if (page is null || page.Closed.IsCancellationRequested)
        {
            await WriteProblemAsync(response, PageNotFound(), aborted).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _subscriptions) > _limits.MaxSubscriptions)
        {
            Interlocked.Decrement(ref _subscriptions);
            await WriteProblemAsync(
                response, TooMany($"The console holds at most {Count(_limits.MaxSubscriptions)} subscriptions on all pages; stop one."), aborted).ConfigureAwait(false);
            return;
        }

        var watch = page.TryAdd(start!.Id, start.Topic, _limits.MaxSubscriptionsPerPage, out var duplicate);
        if (watch is null)
        {
            Interlocked.Decrement(ref _subscriptions);
            await WriteProblemAsync(
                response,
                duplicate
                    ? new Problem(HttpContract.ProblemTypes.InvalidRequest, "The subscription id is taken.", StatusCodes.Status409Conflict, "The page already holds a running subscription by that id.") { Field = "id" }
                    : TooMany($"A page holds at most {Count(_limits.MaxSubscriptionsPerPage)} subscriptions; stop one."),
                aborted).ConfigureAwait(false);
            return;
        }

        Signal();
        TopicClient client;
        try
        {
            client = (await ConnectionAsync(aborted).ConfigureAwait(false)).Client;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page gave up while the connection opened (or while another request opened it): its slot is free again.
            Release(page, watch);
            throw;
        }
        catch (Exception)
        {
            // The publisher's own settings opened the same connection, so this is rare (Momento unreachable at first use).
            Release(page, watch);
            await WriteProblemAsync(response, new Problem(
                HttpContract.ProblemTypes.Unavailable, "Momento is not reachable.", StatusCodes.Status503ServiceUnavailable,
                "The console could not connect to the Momento the publisher uses; try again."), aborted).ConfigureAwait(false);
            return;
        }

        watch.Start(client, _cacheName, start.Resume, page, () => Release(page, watch));
        await WriteJsonAsync(context, StatusCodes.Status201Created, w =>
        {
            w.WriteString("subscription", watch.Id);
            w.WriteString("topic", watch.Topic);
        }).ConfigureAwait(false);
    }

    private async Task UnsubscribeAsync(HttpContext context, string pageId, string subscriptionId)
    {
        var page = FindPage(pageId);
        if (page is null || !page.Stop(subscriptionId))
        {
            await WriteProblemAsync(context.Response, page is null ? PageNotFound() : SubscriptionNotFound(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private ConsolePage? FindPage(string pageId)
    {
        lock (_gate)
        {
            return _pages.GetValueOrDefault(pageId);
        }
    }

    // A subscription that ended, or could not start: its page forgets it, and its share of the console's limit is free again.
    private void Release(ConsolePage page, TopicWatch watch)
    {
        page.Remove(watch);
        Interlocked.Decrement(ref _subscriptions);
        Signal();
    }

    private async Task<MomentoConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stopping.Token.ThrowIfCancellationRequested();
            return _connection ??= await _connect(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connecting.Release();
        }
    }
}
