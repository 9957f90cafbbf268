using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Publisher.OpenApi.Tests;

/// <summary>
/// Every JSON example of the documentation pages that show the contract (README.md and docs/http-api.md; each fence says
/// what it is in the comment above it, <c>&lt;!-- openapi: METHOD PATH STATUS|request --&gt;</c>) and the body of every
/// <c>curl</c> in those pages and the local and deploy pages holds against the checked-in document's schemas, evaluated
/// by JsonSchema.Net (draft 2020-12, OpenAPI 3.1's dialect).
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private static readonly Uri DocumentUri = new("https://contract.test/openapi.json");
    private static readonly Lazy<JsonElement> OpenApi = new(() => JsonDocument.Parse(Repository.Read("docs/openapi.json")).RootElement);
    /// <summary>The pages whose JSON examples are the contract's.</summary>
    private static readonly string[] ExamplePages = ["README.md", "docs/http-api.md"];

    /// <summary>The pages whose <c>curl</c> commands are checked.</summary>
    private static readonly string[] CurlPages = [.. ExamplePages, "docs/local.md", "docs/deploy.md"];

    private static string[] Lines(string page) => Repository.Read(page).ReplaceLineEndings("\n").Split('\n');

    public static TheoryData<string, string, string, string> ContractExamples()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var example in FencedExamples())
        {
            data.Add(example.Method, example.Path, example.What, example.Json);
        }

        return data;
    }

    public static TheoryData<string, string, string, bool> CurlBodies()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var (method, path, body, refused) in Curls().Where(c => c.Body is not null))
        {
            data.Add(method, path, body!, refused);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContractExamples))]
    public void ReadmeExample_HoldsAgainstTheDocument(string method, string path, string what, string json)
    {
        var errors = Evaluate(SchemaPointer(method, path, what), json);

        Assert.True(errors.Count == 0, $"README example for {method} {path} {what} breaks the document: {string.Join("; ", errors)}");
    }

    [Theory]
    [MemberData(nameof(CurlBodies))]
    public void ReadmeCurlBody_HoldsAgainstTheDocument(string method, string path, string body, bool refused)
    {
        var errors = Evaluate(SchemaPointer(method, path, "request"), body);

        // A curl that shows a problem says so ("# refused: ..." after it) and must break the document.
        Assert.True(refused ? errors.Count > 0 : errors.Count == 0, refused
            ? $"Documented curl body for {method} {path} is marked refused but holds against the document."
            : $"Documented curl body for {method} {path} breaks the document: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Readme_ContractSection_AnnotatesEveryJsonFenceAndCoversEachKindOfAnswer()
    {
        var examples = FencedExamples();
        var kinds = examples.Select(e => $"{e.Method} {e.Path} {e.What}").ToHashSet(StringComparer.Ordinal);

        Assert.Contains("POST /topics 200", kinds);
        Assert.Contains("POST /batch 207", kinds);
        Assert.Contains("POST /topics 400", kinds);
        Assert.Contains("POST /verify 200", kinds);
    }

    [Fact]
    public void Readme_Curls_PublishBatchAndVerifyWithBodies()
    {
        var routes = Curls().Where(c => c.Body is not null).Select(c => $"{c.Method} {c.Path}").ToHashSet(StringComparer.Ordinal);

        Assert.Contains("POST /topics", routes);
        Assert.Contains("POST /batch", routes);
        Assert.Contains("POST /verify", routes);
    }

    [Theory]
    [InlineData("POST", "/topics", "request", """{"topicName": "t", "topicValue": "a", "topicValueBase64": "YQ=="}""")]
    [InlineData("POST", "/topics", "request", """{"topicName": "t"}""")]
    [InlineData("POST", "/batch", "request", """{"messages": []}""")]
    [InlineData("POST", "/verify", "request", """{"topic": "t", "count": 1, "equals": "x"}""")]
    [InlineData("POST", "/topics", "200", """{"published": true, "topic": "orders"}""")]
    [InlineData("POST", "/topics", "400", """{"type": "https://x.test/problems/unavailable", "title": "t", "status": 400, "detail": "d"}""")]
    [InlineData("POST", "/topics", "503", """{"type": "https://x.test/problems/unavailable", "title": "t", "status": 503}""")]
    public void Evaluate_ExampleThatBreaksTheContract_IsRefused(string method, string path, string what, string json)
    {
        // The evaluation is real: examples that break the contract fail it.
        Assert.NotEmpty(Evaluate(SchemaPointer(method, path, what), json));
    }

    /// <summary>The errors of <paramref name="json"/> against the schema of a request body (<paramref name="what"/> "request") or a response.</summary>
    internal static List<string> Evaluate(string method, string path, string what, string json) => Evaluate(SchemaPointer(method, path, what), json);

    private static List<string> Evaluate(string pointer, string json)
    {
        var registry = new SchemaRegistry();
        registry.Register(new JsonElementBaseDocument(OpenApi.Value, DocumentUri));
        var schema = JsonSchema.FromText(JsonSerializer.Serialize(new Dictionary<string, string> { ["$ref"] = DocumentUri + "#" + pointer }), new BuildOptions { SchemaRegistry = registry });
        using var instance = JsonDocument.Parse(json);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        List<string> errors = [.. (result.Details ?? []).Append(result).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
        return errors.Count > 0 ? errors : ["invalid (the evaluation names no keyword)"];
    }

    /// <summary>The JSON pointer (URI-escaped) of a request body's or a response's schema; the operation must exist.</summary>
    private static string SchemaPointer(string method, string path, string what)
    {
        var operation = OpenApi.Value.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());
        string[] segments = what == "request"
            ? ["paths", path, method.ToLowerInvariant(), "requestBody", "content", "application/json", "schema"]
            : ["paths", path, method.ToLowerInvariant(), "responses", what, "content", what[0] == '2' ? "application/json" : "application/problem+json", "schema"];
        _ = operation.GetProperty(segments[3]);
        return "/" + string.Join('/', segments.Select(s => Uri.EscapeDataString(s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
    }

    private static List<(string Method, string Path, string What, string Json)> FencedExamples()
    {
        var examples = new List<(string, string, string, string)>();
        foreach (var page in ExamplePages)
        {
            var lines = Lines(page);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i] != "```json")
                {
                    continue;
                }

                var close = Array.IndexOf(lines, "```", i + 1);
                var label = Annotation().Match(lines[i - 1]);
                Assert.True(label.Success, $"{page} line {i + 1}: a JSON example needs '<!-- openapi: METHOD PATH STATUS|request -->' on the line above.");
                examples.Add((label.Groups[1].Value, label.Groups[2].Value, label.Groups[3].Value, string.Join('\n', lines[(i + 1)..close])));
                i = close;
            }
        }

        Assert.NotEmpty(examples);
        return examples;
    }

    /// <summary>Every curl in those pages (continuation lines joined): method, the document's path template, and the -d body if any.</summary>
    private static List<(string Method, string Path, string? Body, bool Refused)> Curls()
    {
        var text = string.Join('\n', CurlPages.SelectMany(Lines)).Replace("\\\n", " ", StringComparison.Ordinal);
        var curls = new List<(string, string, string?, bool)>();
        foreach (var line in text.Split('\n').Where(l => l.Contains("curl ", StringComparison.Ordinal)))
        {
            var url = Url().Match(line);
            Assert.True(url.Success, $"README curl without a URL the test knows: {line}");
            var path = url.Groups["path"].Success ? url.Groups["path"].Value : url.Groups["placeholder"].Value switch
            {
                "PublishUrl" => "/topics",
                "VerifyUrl" => "/verify",
                var other => throw new InvalidOperationException($"README curl with an unknown placeholder <{other}>: {line}"),
            };
            path = path.Split('?')[0];
            var body = Body().Match(line);
            var method = Method().Match(line) is { Success: true } m ? m.Groups[1].Value : body.Success ? "POST" : "GET";
            curls.Add((method, Template(path), body.Success ? body.Groups[1].Value : null, line.Contains("# refused", StringComparison.Ordinal)));
        }

        Assert.NotEmpty(curls);
        return curls;
    }

    // The document's path that a concrete path matches (its {parameters} stand for one segment).
    private static string Template(string path)
    {
        foreach (var candidate in OpenApi.Value.GetProperty("paths").EnumerateObject().Select(p => p.Name))
        {
            if (Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(candidate), @"\\\{[^}]+}", "[^/]+") + "$"))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"README curl to {path}, which the document does not describe.");
    }

    [GeneratedRegex(@"^<!-- openapi: (GET|POST) (\S+) (request|\d{3}) -->$")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"(?:https?://[^/\s'""]+(?<path>/[^\s'""]*)|<ApiUrl>(?<path>[^\s'""]*)|<(?<placeholder>PublishUrl|VerifyUrl)>)")]
    private static partial Regex Url();

    [GeneratedRegex(@"-d '([^']*)'")]
    private static partial Regex Body();

    [GeneratedRegex(@"-X (GET|POST)")]
    private static partial Regex Method();
}
