using System.Text.Json.Nodes;
using Functions.Common.Http;

namespace Publisher.Function.Tests.Support;

/// <summary>
/// Builds API Gateway events from AWS's published samples (copied to <c>fixtures/</c>), replacing what a
/// test controls: method, path, headers, body and <c>isBase64Encoded</c>, and the matched route the way API
/// Gateway fills it in for the stack's resources. The rest stays as AWS sends it.
/// </summary>
internal static class TestEvents
{
    public const string RestFixture = "rest-api-v1-proxy-event.json";
    public const string HttpFixture = "http-api-v2-event.json";

    public static readonly EventShape[] Shapes = [EventShape.RestApiV1, EventShape.HttpApiV2];

    public static string FixtureText(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", file));

    /// <param name="shape">REST API 1.0 or HTTP API 2.0.</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path below the stage as the caller sends it (percent-encoded), such as <c>/topics</c>.</param>
    /// <param name="body">The body as it appears in the event (already base64 when <paramref name="base64"/>); null for none.</param>
    /// <param name="headers">Request headers, added to the sample's headers other than its content type.</param>
    /// <param name="base64">The event's <c>isBase64Encoded</c>.</param>
    /// <param name="stage">A named HTTP API stage, which then prefixes the raw path (2.0 only).</param>
    /// <param name="basePath">A custom domain's base-path mapping, which then prefixes the path (e.g. <c>messaging</c>).</param>
    public static string Build(
        EventShape shape,
        string method,
        string path,
        string? body,
        IReadOnlyDictionary<string, string>? headers = null,
        bool base64 = false,
        string? stage = null,
        string? basePath = null)
    {
        var root = JsonNode.Parse(FixtureText(shape == EventShape.RestApiV1 ? RestFixture : HttpFixture))!.AsObject();

        var merged = new JsonObject();
        foreach (var (name, value) in root["headers"]!.AsObject())
        {
            if (!name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                merged[name] = value!.GetValue<string>();
            }
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        root["headers"] = merged;
        root["body"] = body;
        root["isBase64Encoded"] = base64;
        var context = root["requestContext"]!.AsObject();
        context["requestId"] = "api-" + Guid.NewGuid().ToString("N");
        var sent = (basePath is null ? string.Empty : "/" + basePath) + path;
        var (template, parameters) = Resource(path);
        if (shape == EventShape.RestApiV1)
        {
            // A path no resource of the stack matches reaches the function only through a greedy proxy.
            root["path"] = sent;
            root["resource"] = template ?? "/{proxy+}";
            root["httpMethod"] = method;
            root["pathParameters"] = template is null ? new JsonObject { ["proxy"] = Uri.UnescapeDataString(path.TrimStart('/')) } : parameters;
            context["httpMethod"] = method;
            context["resourcePath"] = template ?? "/{proxy+}";
            context["path"] = "/" + (basePath ?? "prod") + path;
        }
        else
        {
            // HTTP API: a route of the stack's resources, else the $default route.
            var rawPath = (stage is null ? string.Empty : "/" + stage) + sent;
            var routeKey = template is null ? "$default" : method + " " + template;
            root["rawPath"] = rawPath;
            root["rawQueryString"] = string.Empty;
            root["queryStringParameters"] = null;
            root["routeKey"] = routeKey;
            root["pathParameters"] = parameters;
            context["http"]!["method"] = method;
            context["http"]!["path"] = rawPath;
            context["stage"] = stage ?? "$default";
            context["routeKey"] = routeKey;
        }

        return root.ToJsonString();
    }

    /// <summary>A JSON POST, the common case.</summary>
    public static string PostJson(EventShape shape, string path, string json) =>
        Build(shape, "POST", path, json, new Dictionary<string, string> { ["Content-Type"] = "application/json" });

    /// <summary>The stack's resource a path matches and the parameters API Gateway passes (decoded), or null for none.</summary>
    public static (string? Template, JsonObject? Parameters) Resource(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
        {
            ["topics"] => ("/topics", null),
            ["topics", var name] => ("/topics/{topicName}", new JsonObject { ["topicName"] = Uri.UnescapeDataString(name) }),
            ["batch"] => ("/batch", null),
            ["verify"] => ("/verify", null),
            _ => (null, null),
        };
}
