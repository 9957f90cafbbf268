using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Subscriber.Function.Tests.Infrastructure;

/// <summary>The two API Gateway payload versions.</summary>
public enum Shape
{
    RestV1,
    HttpApiV2,
}

/// <summary>API Gateway events of both payload versions, shaped like AWS's samples, and their decoded answers.</summary>
internal static class ApiEvents
{
    public static string Build(Shape shape, string method, string path, string? body = null, string? contentType = "application/json", IReadOnlyDictionary<string, string>? query = null) =>
        shape == Shape.RestV1 ? Rest(method, path, body, contentType, query) : HttpApi(method, path, body, contentType, query);

    public static string Rest(string method, string path, string? body, string? contentType, IReadOnlyDictionary<string, string>? query)
    {
        var headers = new JsonObject { ["Accept"] = "*/*", ["Host"] = "abc123.execute-api.us-east-1.amazonaws.com" };
        if (contentType is not null)
        {
            headers["Content-Type"] = contentType;
        }

        return new JsonObject
        {
            ["resource"] = path,
            ["path"] = path,
            ["httpMethod"] = method,
            ["headers"] = headers,
            ["queryStringParameters"] = QueryObject(query),
            ["pathParameters"] = null,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["stage"] = "prod",
                ["requestId"] = Guid.NewGuid().ToString(),
                ["resourcePath"] = path,
                ["httpMethod"] = method,
                ["apiId"] = "abc123",
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        }.ToJsonString();
    }

    public static string HttpApi(string method, string path, string? body, string? contentType, IReadOnlyDictionary<string, string>? query)
    {
        var headers = new JsonObject { ["accept"] = "*/*" };
        if (contentType is not null)
        {
            headers["content-type"] = contentType;
        }

        return new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = path,
            ["rawQueryString"] = query is null ? string.Empty : string.Join('&', query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value))),
            ["headers"] = headers,
            ["queryStringParameters"] = QueryObject(query),
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "abc123",
                ["http"] = new JsonObject { ["method"] = method, ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "127.0.0.1", ["userAgent"] = "test" },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        }.ToJsonString();
    }

    /// <summary>A proxy response (either version): status, headers and the body parsed as JSON.</summary>
    public sealed record Answer(int StatusCode, IReadOnlyDictionary<string, string> Headers, JsonElement Body);

    public static Answer Decode(byte[] response)
    {
        using var document = JsonDocument.Parse(response);
        var root = document.RootElement;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in h.EnumerateObject())
            {
                headers[header.Name] = header.Value.GetString()!;
            }
        }

        Assert.False(root.TryGetProperty("isBase64Encoded", out var b64) && b64.GetBoolean());
        var body = root.GetProperty("body").GetString()!;
        using var bodyDocument = JsonDocument.Parse(Encoding.UTF8.GetBytes(body));
        return new Answer(root.GetProperty("statusCode").GetInt32(), headers, bodyDocument.RootElement.Clone());
    }

    private static JsonObject? QueryObject(IReadOnlyDictionary<string, string>? query)
    {
        if (query is null)
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var (name, value) in query)
        {
            result[name] = value;
        }

        return result;
    }
}
