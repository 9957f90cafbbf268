using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Functions.Common.Http;
using Publisher.Contracts.ApiDocs;
using static Publisher.Contracts.HttpContract;

namespace Publisher.Function.Internal;

/// <summary>
/// The API's documentation where no gateway serves it (an HTTP API has no mock integrations; a function URL has no
/// gateway): <c>GET /openapi.json</c>, the checked-in document naming the address the request came to as its server,
/// and <c>GET /problems</c>, <c>GET /problems/{slug}</c>, the pages every problem <c>type</c> points at. Static text:
/// nothing here reads a body or reaches Momento. Behind a REST API these routes are mocks and never reach the function.
/// </summary>
internal static class ApiDocsResponses
{
    /// <summary>The embedded document's resource name (see the project file).</summary>
    public const string OpenApiResource = "Publisher.Function.openapi.json";

    private const string Readable = "GET, HEAD";
    private const string CacheControl = "public, max-age=300";

    /// <summary>The route template of a documentation request (as logged), or null when <paramref name="route"/> is not one.</summary>
    public static string? Template(IReadOnlyList<string> route) => route switch
    {
        [var name] when name == OpenApiPath[1..] => OpenApiPath,
        [var name] when name == ProblemsPath[1..] => ProblemsPath,
        [var name, _] when name == ProblemsPath[1..] => ProblemsPath + "/{slug}",
        _ => null,
    };

    /// <summary>The answer to a documentation request (a page, a 404 for an unknown problem type, a 405 for another method).</summary>
    public static ApiResponse Answer(ApiRequest request, ProblemTypeBase types)
    {
        ArgumentNullException.ThrowIfNull(request);
        var template = Template(request.Route) ?? throw new ArgumentException("Not a documentation route.", nameof(request));
        if (request.Method is not ("GET" or "HEAD"))
        {
            return Problem.WrongMethod(request.Method, template, Readable).ToResponse(types, request.RequestId);
        }

        var (contentType, body) = request.Route switch
        {
            [_, var slug] => ProblemCatalog.Find(slug) is { } entry ? (ProblemPages.HtmlMediaType, ProblemPages.Page(entry)) : (null, null),
            _ when template == ProblemsPath => (ProblemPages.HtmlMediaType, ProblemPages.Index()),
            _ => (MediaTypes.Json, OpenApi(ServerOf(request))),
        };
        if (body is null)
        {
            return Problem.RouteNotFound(request.Method, request.Path).ToResponse(types, request.RequestId);
        }

        var bytes = request.Method == "HEAD" ? [] : Encoding.UTF8.GetBytes(body);
        return new ApiResponse(200, contentType!, bytes, new Dictionary<string, string> { ["Cache-Control"] = CacheControl });
    }

    /// <summary>
    /// The address the request came to, as API Gateway and function URLs report it (<c>Host</c>, <c>X-Forwarded-Proto</c>);
    /// null when the headers do not name a plain host, and the document then keeps its own servers.
    /// </summary>
    internal static string? ServerOf(ApiRequest request)
    {
        var host = request.Headers["host"];
        var scheme = request.Headers["x-forwarded-proto"] ?? "https";
        if (host is not { Length: > 0 and <= 255 } || scheme is not ("http" or "https")
            || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']'))
        {
            return null;
        }

        return Uri.TryCreate($"{scheme}://{host}", UriKind.Absolute, out var uri) && uri.PathAndQuery == "/" ? $"{scheme}://{host}" : null;
    }

    /// <summary>The checked-in document, its <c>servers</c> replaced by <paramref name="server"/> when there is one.</summary>
    internal static string OpenApi(string? server)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(OpenApiResource)
            ?? throw new InvalidOperationException($"The assembly does not embed {OpenApiResource} (docs/openapi.json).");
        using var document = JsonDocument.Parse(stream);
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (server is not null && member.NameEquals("servers"))
                {
                    writer.WriteStartArray("servers");
                    writer.WriteStartObject();
                    writer.WriteString("url", server);
                    writer.WriteString("description", "This deployment (the address this document was fetched from).");
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                }
                else
                {
                    member.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
