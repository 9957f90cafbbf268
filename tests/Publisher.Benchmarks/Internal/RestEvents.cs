using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>REST API (payload 1.0) proxy events built from AWS's published sample with the request replaced.</summary>
internal sealed class RestEvents
{
    private const string FixtureName = "rest-api-v1-proxy-event.json";

    private readonly string _fixture;

    private RestEvents(string fixture)
    {
        _fixture = fixture;
    }

    public static RestEvents Load(string repositoryRoot)
    {
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, "fixtures", FixtureName);
        var path = File.Exists(besideAssembly) ? besideAssembly : Path.Combine(repositoryRoot, "tests", "fixtures", "aws-events", FixtureName);
        return new RestEvents(File.ReadAllText(path));
    }

    /// <summary>A POST of <c>{"topicName", "topicValue"}</c> to <c>/topics</c>.</summary>
    public string PublishText(string topic, string value) =>
        Post("/topics", JsonBody.Message(topic, value));

    public string Post(string path, string jsonBody)
    {
        var root = JsonNode.Parse(_fixture)!.AsObject();
        var headers = new JsonObject();
        foreach (var (name, value) in root["headers"]!.AsObject())
        {
            if (!name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                headers[name] = value!.GetValue<string>();
            }
        }

        headers["Content-Type"] = "application/json";
        root["headers"] = headers;
        root["multiValueHeaders"] = null;
        root["queryStringParameters"] = null;
        root["multiValueQueryStringParameters"] = null;
        root["pathParameters"] = null;
        root["body"] = jsonBody;
        root["isBase64Encoded"] = false;
        root["path"] = path;
        root["resource"] = path;
        root["httpMethod"] = "POST";
        var context = root["requestContext"]!.AsObject();
        context["requestId"] = "bench-" + Guid.NewGuid().ToString("N");
        context["httpMethod"] = "POST";
        context["resourcePath"] = path;
        return root.ToJsonString();
    }

    /// <summary>Whether a Lambda proxy response (or a batch body) says 200, checked without a full parse on the hot path.</summary>
    public static bool IsOk(string? lambdaResponse) =>
        lambdaResponse is not null && lambdaResponse.Contains("\"statusCode\":200", StringComparison.Ordinal);
}
