using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Publisher.Local.WebConsole;

// The page's event stream: one per open page, its hello first, then whatever the page's queue holds.
internal sealed partial class LocalConsole
{
    private async Task StreamAsync(HttpContext context)
    {
        var page = new ConsolePage(NewId(), _limits.PageQueueCapacity);
        lock (_gate)
        {
            if (_pages.Count >= _limits.MaxPages)
            {
                page.Dispose();
                page = null;
            }
            else
            {
                _pages.Add(page.Id, page);
            }
        }

        if (page is null)
        {
            await WriteProblemAsync(
                context.Response, TooMany($"At most {Count(_limits.MaxPages)} console pages can be open at once; close one."), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Signal();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await PumpAsync(context.Response, page, done.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The page went away, or the service stops.
        }
        catch (IOException) when (done.IsCancellationRequested)
        {
        }
        finally
        {
            page.Dispose();
            await Task.WhenAll(page.Running()).ConfigureAwait(false);
            lock (_gate)
            {
                _pages.Remove(page.Id);
                _droppedByClosedPages += page.Dropped;
            }

            Signal();
        }
    }

    private async Task PumpAsync(HttpResponse response, ConsolePage page, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        var output = response.BodyWriter;
        output.Write(ConsoleEvents.Hello(page.Id, _cacheName, _limits));
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var events = page.Events;
        while (await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Everything queued goes out in one flush; the flush waits while the page reads slowly (Kestrel's
            // response buffer is bounded), and meanwhile new events queue up to the page's capacity.
            while (events.TryRead(out var frame))
            {
                if (page.TakeUnreportedDrops() is > 0 and var dropped)
                {
                    output.Write(ConsoleEvents.Dropped(dropped));
                }

                output.Write(frame);
            }

            // Subscriptions' last events that found the queue full: after everything queued before them.
            while (page.Overflow.TryRead(out var last))
            {
                output.Write(last);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
