using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;
using Publisher.Function;
using Publisher.Local.Internal;
using Subscriber.Function;

namespace Publisher.Local;

/// <summary>A request's body read within the cap, turned into its front door's event and run through a function in-process.</summary>
public sealed partial class LocalService
{
    // The body within the cap, its event, and the function's response payload (or the problem API Gateway would answer).
    private static async Task<(Problem? Problem, ReadOnlyMemory<byte> Response)> ReadAndInvokeAsync(
        HttpContext context, FrontDoor door, int maxBody, Task<(PublisherFunction Publisher, SubscriberFunction Subscriber)> functions, IdleMemoryTrim idleTrim)
    {
        var aborted = context.RequestAborted;
        byte[]? body;
        try
        {
            body = await BoundedBody.ReadAsync(context.Request, maxBody, aborted).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            // Broken chunked framing, a body cut short, a body too slow: Kestrel says which status.
            return (GatewayProblems.ForStatus(e.StatusCode, maxBody), default);
        }
        catch (IOException) when (!aborted.IsCancellationRequested)
        {
            // Framing Kestrel rejects with a plain IOException (a chunk size that overflows: "Bad chunk size data").
            return (GatewayProblems.ForStatus(StatusCodes.Status400BadRequest, maxBody), default);
        }

        if (body is null)
        {
            return (GatewayProblems.BodyTooLarge(maxBody), default);
        }

        var (publisher, subscriber) = await functions.WaitAsync(aborted).ConfigureAwait(false);
        byte[] payload;
        bool toSubscriber;
        if (door == FrontDoor.RestApi)
        {
            var restEvent = RestApiEmulation.ToEvent(context.Request, Stage, body);
            (payload, toSubscriber) = (restEvent.Payload, restEvent.Event.Resource == "/verify");
        }
        else
        {
            var httpEvent = HttpApiEmulation.ToEvent(context.Request, door, body);
            (payload, toSubscriber) = (httpEvent.Payload, httpEvent.Target == RouteTarget.Subscriber);
        }

        idleTrim.Holding(payload.Length);
        try
        {
            return (null, await Invoke(publisher, subscriber, payload, toSubscriber, aborted).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException || !aborted.IsCancellationRequested)
        {
            // An unhandled error in the function: API Gateway answers 502 without details.
            return (GatewayProblems.BadFunctionResponse("The function failed with an unhandled error."), default);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> Invoke(
        PublisherFunction publisher, SubscriberFunction subscriber, ReadOnlyMemory<byte> payload, bool toSubscriber, CancellationToken cancellationToken)
    {
        // The payload as it is, no copy; its buffer is exposed, as the runtime's is, so the handler reads it in place.
        using var input = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true)
            : new MemoryStream(payload.ToArray(), writable: false);
        var context = toSubscriber ? new LocalLambdaContext("subscriber", SubscriberTimeout) : new LocalLambdaContext("publisher", PublisherTimeout);
        await using var output = toSubscriber
            ? await subscriber.HandleAsync(input, context, cancellationToken).ConfigureAwait(false)
            : await publisher.HandleAsync(input, context, cancellationToken).ConfigureAwait(false);
        using var copy = new MemoryStream();
        await output.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }
}
