using System.Text.Json;
using System.Text.Json.Nodes;

namespace Publisher.Function.Tests.Support;

/// <summary>A Lambda proxy response as API Gateway would read it.</summary>
internal sealed record ApiResult(string Raw, int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body, bool IsBase64Encoded)
{
    public static ApiResult Parse(string raw)
    {
        var root = JsonNode.Parse(raw)!.AsObject();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root["headers"] is JsonObject h)
        {
            foreach (var (name, value) in h)
            {
                headers[name] = value!.GetValue<string>();
            }
        }

        return new ApiResult(
            raw,
            root["statusCode"]!.GetValue<int>(),
            headers,
            root["body"]?.GetValue<string>() ?? string.Empty,
            root["isBase64Encoded"]?.GetValue<bool>() ?? false);
    }

    public string? ContentType => Headers.GetValueOrDefault("Content-Type");

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Asserts an RFC 9457 body with the given status and type slug; returns it.</summary>
    public JsonElement AssertProblem(int status, string slug, string? field = null)
    {
        Assert.Equal(status, StatusCode);
        Assert.Equal("application/problem+json", ContentType);
        Assert.False(IsBase64Encoded);
        var problem = Json;
        Assert.Equal(ProblemTypes.DefaultBaseUri + slug, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        return problem;
    }

    /// <summary>Nothing a caller must never see: stack traces, exception names, internals.</summary>
    public void AssertNoLeaks(params string[] secrets)
    {
        Assert.DoesNotContain("Exception", Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", Raw, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, Raw, StringComparison.Ordinal);
        }
    }
}
