using System.Buffers;
using System.Text.Json;
using Functions.Common.Http;
using Functions.Common.Momento;
using Microsoft.AspNetCore.Http;
using Momento.Topics.Client;
using Publisher.Local.Internal;

namespace Publisher.Local.WebConsole;

internal sealed partial class LocalConsole
{
    private async Task HandleAsync(HttpContext context, string path)
    {
        ErrorResponseShaper.TrackAppResponse(context);
        var request = context.Request;
        var aborted = context.RequestAborted;
        if (!LoopbackHost(request))
        {
            await WriteProblemAsync(context.Response, Forbidden("The console answers only at 127.0.0.1 or localhost."), aborted).ConfigureAwait(false);
            return;
        }

        if (_stopping.IsCancellationRequested)
        {
            await WriteProblemAsync(context.Response, Unavailable(), aborted).ConfigureAwait(false);
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = request.Method;
        switch (segments)
        {
            case []:
                await ServeAsync(context, ConsoleAssets.Page).ConfigureAwait(false);
                return;
            case ["console", var file] when _assets.Contains(file):
                await (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
                    ? ServeAsync(context, file)
                    : WrongMethodAsync(context, path, "GET, HEAD")).ConfigureAwait(false);
                return;
            case ["console", "info"]:
                await (HttpMethods.IsGet(method) ? InfoAsync(context) : WrongMethodAsync(context, path, "GET")).ConfigureAwait(false);
                return;
        }

        // Everything past here reads topics or changes subscriptions: it needs the key, as every API request does,
        // and a browser must be on the console's own page.
        if (!FromOwnPageOrNotABrowser(request))
        {
            await WriteProblemAsync(context.Response, Forbidden("The console's event stream and subscriptions answer only the console's own page."), aborted).ConfigureAwait(false);
            return;
        }

        if (!KeyAccepted(request))
        {
            await WriteProblemAsync(context.Response, GatewayProblems.Forbidden(), aborted).ConfigureAwait(false);
            return;
        }

        switch (segments)
        {
            case ["console", "stream"]:
                await (HttpMethods.IsGet(method) ? StreamAsync(context) : WrongMethodAsync(context, path, "GET")).ConfigureAwait(false);
                return;
            case ["console", "stream", var pageId, "subscriptions"]:
                await (HttpMethods.IsPost(method) ? SubscribeAsync(context, pageId) : WrongMethodAsync(context, path, "POST")).ConfigureAwait(false);
                return;
            case ["console", "stream", var pageId, "subscriptions", var subscriptionId]:
                await (HttpMethods.IsDelete(method) ? UnsubscribeAsync(context, pageId, subscriptionId) : WrongMethodAsync(context, path, "DELETE")).ConfigureAwait(false);
                return;
            default:
                await WriteProblemAsync(context.Response, Problem.RouteNotFound(method, path), aborted).ConfigureAwait(false);
                return;
        }
    }

    private async Task ServeAsync(HttpContext context, string file)
    {
        var asset = _assets.Get(file);
        var response = context.Response;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";

        // Only this origin's own script and style, no inline code: data shown by the page can never run.
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task InfoAsync(HttpContext context) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, w => w.WriteBoolean("apiKeyRequired", _apiKey is not null));

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

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

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

        ConsolePage? page;
        lock (_gate)
        {
            _pages.TryGetValue(pageId, out page);
        }

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
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            // The publisher's own settings opened the same connection, so this is rare (Momento unreachable at first use).
            page.Remove(watch);
            Interlocked.Decrement(ref _subscriptions);
            Signal();
            await WriteProblemAsync(response, new Problem(
                HttpContract.ProblemTypes.Unavailable, "Momento is not reachable.", StatusCodes.Status503ServiceUnavailable,
                "The console could not connect to the Momento the publisher uses; try again."), aborted).ConfigureAwait(false);
            return;
        }

        watch.Start(client, _cacheName, start.Resume, page.Offer, () =>
        {
            page.Remove(watch);
            Interlocked.Decrement(ref _subscriptions);
            Signal();
        });
        await WriteJsonAsync(context, StatusCodes.Status201Created, w =>
        {
            w.WriteString("subscription", watch.Id);
            w.WriteString("topic", watch.Topic);
        }).ConfigureAwait(false);
    }

    private async Task UnsubscribeAsync(HttpContext context, string pageId, string subscriptionId)
    {
        ConsolePage? page;
        lock (_gate)
        {
            _pages.TryGetValue(pageId, out page);
        }

        if (page is null || !page.Stop(subscriptionId))
        {
            await WriteProblemAsync(context.Response, page is null ? PageNotFound() : SubscriptionNotFound(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
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

    /// <summary>A problem with every header it carries (<c>Allow</c> on a 405), in the API's format.</summary>
    private static async Task WriteProblemAsync(HttpResponse response, Problem problem, CancellationToken cancellationToken)
    {
        var connection = response.HttpContext.Connection;
        var api = problem.ToResponse(GatewayProblems.TypesFor(connection.LocalIpAddress, connection.LocalPort), GatewayProblems.NewRequestId());
        response.StatusCode = api.StatusCode;
        response.ContentType = api.ContentType;
        response.ContentLength = api.Body.Length;
        response.Headers.CacheControl = "no-store";
        foreach (var (name, value) in api.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(api.Body, cancellationToken).ConfigureAwait(false);
    }

    private static Task WrongMethodAsync(HttpContext context, string path, string allowed) =>
        WriteProblemAsync(context.Response, Problem.WrongMethod(context.Request.Method, path, allowed), context.RequestAborted);

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = MediaTypes.Json;
        response.ContentLength = buffer.WrittenCount;
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static Problem Forbidden(string detail) =>
        new(HttpContract.ProblemTypes.Unauthorized, "Forbidden.", StatusCodes.Status403Forbidden, detail);

    private static Problem Unavailable() =>
        new(HttpContract.ProblemTypes.Unavailable, "The console is stopping.", StatusCodes.Status503ServiceUnavailable, "The local service is stopping.");

    private static Problem PageNotFound() =>
        new(HttpContract.ProblemTypes.NotFound, "No such console page.", StatusCodes.Status404NotFound, "The page's event stream is not open (or was closed); reload the page.");

    private static Problem SubscriptionNotFound() =>
        new(HttpContract.ProblemTypes.NotFound, "No such subscription.", StatusCodes.Status404NotFound, "The page holds no running subscription by that id.");
}
