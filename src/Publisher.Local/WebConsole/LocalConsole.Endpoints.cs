using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Local.Internal;

namespace Publisher.Local.WebConsole;

// The console's routes: who may ask (a loopback host, the console's own page, the key), and the page's static files.
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

        if (!ApiKeyCheck.Accepts(request, _apiKey))
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
}
