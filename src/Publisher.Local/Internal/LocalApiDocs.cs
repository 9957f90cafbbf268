using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts.ApiDocs;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Local.Internal;

/// <summary>
/// The API's documentation, as the stack serves it, without credentials: <c>GET /openapi.json</c> (the checked-in
/// docs/openapi.json, naming this runner as its server), <c>GET /problems</c> and <c>GET /problems/{slug}</c> (the
/// pages every problem's <c>type</c> URI points at here).
/// </summary>
internal static class LocalApiDocs
{
    private const string OpenApiResource = "Publisher.Local.openapi.json";

    /// <summary>The problem type base of the API at <paramref name="apiUrl"/>: its <c>/problems/</c> pages.</summary>
    public static string ProblemTypesFor(Uri apiUrl) => new Uri(apiUrl, ProblemsPath.TrimStart('/') + "/").ToString();

    /// <summary>The problem type base of the API listening on <paramref name="endpoint"/>.</summary>
    public static ProblemTypeBase ProblemTypeBaseFor(IPEndPoint endpoint) =>
        ProblemTypeBase.TryCreate(ProblemTypesFor(BaseUrl(endpoint)), out _) ?? ProblemTypeBase.Default;

    /// <summary>
    /// Answers a documentation request and returns true; false for every other request. HEAD is answered as GET without
    /// the body, and another method on a document is a 405 naming GET and HEAD.
    /// </summary>
    public static async Task<bool> TryServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (!(path == OpenApiPath || path == ProblemsPath || path.StartsWith(ProblemsPath + "/", StringComparison.Ordinal)))
        {
            return false;
        }

        var entry = path.StartsWith(ProblemsPath + "/", StringComparison.Ordinal) ? ProblemCatalog.Find(path[(ProblemsPath.Length + 1)..]) : null;
        var (contentType, body) = path switch
        {
            OpenApiPath => (MediaTypes.Json, (Func<string>)(() => Document(BaseUrl(new IPEndPoint(context.Connection.LocalIpAddress ?? IPAddress.Loopback, context.Connection.LocalPort))))),
            ProblemsPath => (ProblemPages.HtmlMediaType, ProblemPages.Index),
            _ when entry is not null => (ProblemPages.HtmlMediaType, () => ProblemPages.Page(entry)),
            _ => (null, null),
        };
        var readable = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (body is null)
        {
            // An unknown problem type: not found for a read; any other method goes on to the API's own answer.
            if (!readable)
            {
                return false;
            }

            await RestApiEmulation.WriteProblemAsync(context.Response, Problem.RouteNotFound(request.Method, path), cancellationToken).ConfigureAwait(false);
        }
        else if (!readable)
        {
            await RestApiEmulation.WriteProblemAsync(context.Response, Problem.WrongMethod(request.Method, path, "GET, HEAD"), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WriteAsync(context.Response, contentType!, body(), HttpMethods.IsHead(request.Method), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The checked-in document with <paramref name="apiUrl"/> as its only server.</summary>
    internal static string Document(Uri apiUrl)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(OpenApiResource)
            ?? throw new InvalidOperationException($"The assembly does not embed {OpenApiResource} (docs/openapi.json).");
        var document = JsonNode.Parse(stream)!.AsObject();
        document["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = apiUrl.ToString().TrimEnd('/'),
            ["description"] = "This local runner.",
        });
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static Uri BaseUrl(IPEndPoint endpoint) => new($"http://{endpoint}/");

    private static async Task WriteAsync(HttpResponse response, string contentType, string body, bool headersOnly, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        if (!headersOnly)
        {
            await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }
}
