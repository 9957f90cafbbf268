using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;
using Publisher.Function;
using Publisher.Local.Internal;
using Subscriber.Function;

namespace Publisher.Local;

/// <summary>
/// One request at the front door: the gates the door applies before any function runs (loopback, other sites' pages,
/// the key, an undecodable path), and the answer written as that door writes it. The runner counts as busy meanwhile,
/// for the idle trim.
/// </summary>
public sealed partial class LocalService
{
    // One request, as the front door handles it: key, body cap, event, function, response.
    private static async Task HandleAsync(
        HttpContext context, FrontDoor door, string? apiKey, int maxBody, Task<(PublisherFunction Publisher, SubscriberFunction Subscriber)> functions,
        IdleMemoryTrim idleTrim)
    {
        ErrorResponseShaper.TrackAppResponse(context);
        var aborted = context.RequestAborted;
        if (door == FrontDoor.RestApi && await LocalApiDocs.TryServeAsync(context, aborted).ConfigureAwait(false))
        {
            // The REST API's document and problem pages are mocks that need no key, as in the stack.
            return;
        }

        // Without a key, only this machine's own clients may call: a page on another site can neither rebind its name to
        // 127.0.0.1 (Host) nor post a form here (Sec-Fetch-Site), as the console already refuses. A key, which no other
        // site's page can send, stands in for both.
        if (apiKey is null && !WebConsole.LocalConsole.LoopbackHost(context.Request))
        {
            await RestApiEmulation.WriteProblemAsync(
                context.Response, GatewayProblems.ForeignRequest("The local API answers only at 127.0.0.1 or localhost."), aborted).ConfigureAwait(false);
            return;
        }

        if (apiKey is null && !WebConsole.LocalConsole.FromOwnPageOrNotABrowser(context.Request))
        {
            await RestApiEmulation.WriteProblemAsync(
                context.Response, GatewayProblems.ForeignRequest("The local API does not answer other sites' pages."), aborted).ConfigureAwait(false);
            return;
        }

        // An HTTP API's documentation routes are open too, but reach the publisher; behind function URLs nothing is open.
        var open = door == FrontDoor.HttpApi
            && HttpRoutes.Match(context.Request.Method, RestApiEmulation.RawPath(context.Request), MatchedRoute.DecodeSegment) is { Route.Public: true };
        if (!open && !ApiKeyCheck.Accepts(context.Request, apiKey))
        {
            // API Gateway answers a missing or wrong key with 403 before any function runs.
            await RestApiEmulation.WriteProblemAsync(context.Response, GatewayProblems.Forbidden(), aborted).ConfigureAwait(false);
            return;
        }

        if (!RestApiEmulation.IsDecodable(RestApiEmulation.RawPath(context.Request)))
        {
            // No path parameter can be given for it: a topic named "%FF" is not what the client meant.
            await RestApiEmulation.WriteProblemAsync(context.Response, GatewayProblems.PathNotUtf8(), aborted).ConfigureAwait(false);
            return;
        }

        // Body, event and invocation are what a request holds; the runner counts as idle again once the answer is ready
        // (writing it holds nothing large), so a client that has its answer knows the idle spell has begun.
        (Problem? Problem, ReadOnlyMemory<byte> Response) answer;
        using (idleTrim.Busy())
        {
            answer = await ReadAndInvokeAsync(context, door, maxBody, functions, idleTrim).ConfigureAwait(false);
        }

        await (answer.Problem is { } problem ? RestApiEmulation.WriteProblemAsync(context.Response, problem, aborted)
            : door == FrontDoor.RestApi ? RestApiEmulation.WriteResponseAsync(answer.Response, context.Response, aborted)
            : HttpApiEmulation.WriteResponseAsync(answer.Response, context.Response, aborted)).ConfigureAwait(false);
    }
}
