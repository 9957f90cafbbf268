using System.Text.Json.Nodes;
using Functions.Common.Http;

namespace Publisher.Function.Tests.Support;

/// <summary>
/// Builds API Gateway events from AWS's published samples (copied to <c>fixtures/</c>), replacing what a
/// test controls: method, path, headers, body and <c>isBase64Encoded</c>. The rest stays as AWS sends it.
/// </summary>
internal static class TestEvents
{
    public const string RestFixture = "rest-api-v1-proxy-event.json";
    public const string HttpFixture = "http-api-v2-event.json";

    public static readonly EventShape[] Shapes = [EventShape.RestApiV1, EventShape.HttpApiV2];

    public static string FixtureText(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", file));

    /// <param name="shape">REST API 1.0 or HTTP API 2.0.</param>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path below the stage, such as <c>/topics</c>.</param>
    /// <param name="body">The body as it appears in the event (already base64 when <paramref name="base64"/>); null for none.</param>
    /// <param name="headers">Request headers, added to the sample's headers other than its content type.</param>
    /// <param name="base64">The event's <c>isBase64Encoded</c>.</param>
    /// <param name="stage">A named HTTP API stage, which then prefixes the raw path (2.0 only).</param>
    public static string Build(
        EventShape shape,
        string method,
        string path,
        string? body,
        IReadOnlyDictionary<string, string>? headers = null,
        bool base64 = false,
        string? stage = null)
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
        if (shape == EventShape.RestApiV1)
        {
            root["path"] = path;
            root["resource"] = path;
            root["httpMethod"] = method;
            root["pathParameters"] = null;
            context["httpMethod"] = method;
            context["resourcePath"] = path;
        }
        else
        {
            var rawPath = stage is null ? path : "/" + stage + path;
            root["rawPath"] = rawPath;
            root["rawQueryString"] = string.Empty;
            root["queryStringParameters"] = null;
            root["routeKey"] = "$default";
            context["http"]!["method"] = method;
            context["http"]!["path"] = rawPath;
            context["stage"] = stage ?? "$default";
            context["routeKey"] = "$default";
        }

        return root.ToJsonString();
    }

    /// <summary>A JSON POST, the common case.</summary>
    public static string PostJson(EventShape shape, string path, string json) =>
        Build(shape, "POST", path, json, new Dictionary<string, string> { ["Content-Type"] = "application/json" });
}
