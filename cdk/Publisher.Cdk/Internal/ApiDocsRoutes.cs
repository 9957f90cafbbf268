using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.AWS.APIGateway;
using Publisher.Contracts;
using Publisher.Contracts.ApiDocs;

namespace Publisher.Cdk.Internal;

/// <summary>
/// The API's own documentation, served by the API without credentials through mock integrations (no function runs):
/// <c>GET /openapi.json</c> (the repository's docs/openapi.json, embedded at build, its <c>servers</c> set to this
/// deployment's stage URL), <c>GET /problems</c> and <c>GET /problems/{slug}</c> (the pages each problem's
/// <c>type</c> URI points at). API Gateway runs response templates through Velocity, so the bodies hold no
/// <c>$</c> or <c>#</c>: the JSON escapes them (<c>\u0024</c>, <c>\u0023</c>) and the pages have none.
/// </summary>
internal static class ApiDocsRoutes
{
    /// <summary>The embedded document's resource name (see the project file).</summary>
    public const string OpenApiResource = "Publisher.Cdk.openapi.json";

    /// <summary>Cache lifetime of the documentation responses, in seconds.</summary>
    public const int MaxAgeSeconds = 300;

    private const string ServerPlaceholder = "https://deployment.invalid/stage";

    /// <summary>Adds the routes; <paramref name="stageUrl"/> is the stage's base URL without the final slash (may hold tokens).</summary>
    public static void AddTo(RestApi api, string stageUrl)
    {
        ArgumentNullException.ThrowIfNull(api);
        var open = new MethodOptions
        {
            // Documentation is public (it is in the repository too); mock integrations cost no invocation, and the
            // stage throttle bounds what anonymous callers can send.
            ApiKeyRequired = false,
            AuthorizationType = AuthorizationType.NONE,
            MethodResponses =
            [
                new MethodResponse
                {
                    StatusCode = "200",
                    ResponseParameters = new Dictionary<string, bool>
                    {
                        ["method.response.header.Content-Type"] = true,
                        ["method.response.header.Cache-Control"] = true,
                    },
                },
            ],
        };

        api.Root.AddResource(HttpContract.OpenApiPath.TrimStart('/')).AddMethod("GET", Mock(OpenApiBody(stageUrl), "application/json"), open);
        var problems = api.Root.AddResource(HttpContract.ProblemsPath.TrimStart('/'));
        problems.AddMethod("GET", Mock(RequireVelocitySafe(ProblemPages.Index()), ProblemPages.HtmlMediaType), open);
        foreach (var entry in ProblemCatalog.All)
        {
            problems.AddResource(entry.Slug).AddMethod("GET", Mock(RequireVelocitySafe(ProblemPages.Page(entry)), ProblemPages.HtmlMediaType), open);
        }
    }

    /// <summary>The checked-in OpenAPI document as embedded in this assembly.</summary>
    public static string EmbeddedOpenApi()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(OpenApiResource)
            ?? throw new InvalidOperationException($"The assembly does not embed {OpenApiResource} (docs/openapi.json).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The served document: the checked-in one with this deployment as its only server, Velocity-safe.</summary>
    public static string OpenApiBody(string stageUrl)
    {
        var document = JsonNode.Parse(EmbeddedOpenApi())!.AsObject();
        document["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = ServerPlaceholder,
            ["description"] = "This deployment (its stage URL).",
        });
        // The URL's tokens (the API's id, the region) become references in the template, not text: insert them last.
        return RequireVelocitySafe(VelocitySafe(document.ToJsonString(new JsonSerializerOptions { WriteIndented = false })))
            .Replace(ServerPlaceholder, stageUrl, StringComparison.Ordinal);
    }

    /// <summary>JSON text with every <c>$</c> and <c>#</c> written as a JSON escape: both only occur inside strings.</summary>
    public static string VelocitySafe(string json) =>
        json.Replace("$", "\\u0024", StringComparison.Ordinal).Replace("#", "\\u0023", StringComparison.Ordinal);

    // Velocity would interpret these; the literal text must hold neither.
    private static string RequireVelocitySafe(string text) =>
        text.Contains('$', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal)
            ? throw new InvalidOperationException("A mock response body holds '$' or '#', which API Gateway's Velocity templates would interpret.")
            : text;

    private static MockIntegration Mock(string body, string contentType)
    {
        return new MockIntegration(new IntegrationOptions
        {
            // A GET has no body; anything but JSON (or none) is refused rather than passed to the mock.
            PassthroughBehavior = PassthroughBehavior.NEVER,
            RequestTemplates = new Dictionary<string, string> { ["application/json"] = "{\"statusCode\": 200}" },
            IntegrationResponses =
            [
                new IntegrationResponse
                {
                    StatusCode = "200",
                    ResponseParameters = new Dictionary<string, string>
                    {
                        ["method.response.header.Content-Type"] = $"'{contentType}'",
                        ["method.response.header.Cache-Control"] = $"'public, max-age={MaxAgeSeconds}'",
                    },
                    // application/json is API Gateway's fallback template key, whatever the caller's Accept says.
                    ResponseTemplates = new Dictionary<string, string> { ["application/json"] = body },
                },
            ],
        });
    }
}
