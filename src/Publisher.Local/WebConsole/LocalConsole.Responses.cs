using System.Buffers;
using System.Text.Json;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;

namespace Publisher.Local.WebConsole;

// What every console answer shares: problems in the API's format, small JSON bodies, and the console's own problems.
internal sealed partial class LocalConsole
{
    /// <summary>A problem in the API's format (with <c>Allow</c> on a 405), never cached.</summary>
    private static Task WriteProblemAsync(HttpResponse response, Problem problem, CancellationToken cancellationToken)
    {
        response.Headers.CacheControl = "no-store";
        return RestApiEmulation.WriteProblemAsync(response, problem, cancellationToken);
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
