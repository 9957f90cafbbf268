using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Publisher.Contracts.ApiDocs;

namespace Publisher.Cdk.Tests;

/// <summary>
/// The deployed API documents itself without credentials (mock integrations: no function runs): the checked-in
/// OpenAPI document naming the deployment as its server, and a page per problem type; every problem <c>type</c>, the
/// functions' and the gateway's, starts with the address of those pages.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ApiDocsTests(StackFixture fixture)
{
    /// <summary>The problem type base of a default stack, rendered: the stage URL built from the API's id, and /problems/.</summary>
    public static string ExpectedTypeBase(SynthesizedStack stack) => StageUrl(stack) + "/problems/";

    private static string StageUrl(SynthesizedStack stack) =>
        $"https://<{stack.LogicalId((CfnElement)stack.Stack.Api!.Api.Node.DefaultChild!)}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/prod";

    public static TheoryData<string> DocumentationPaths()
    {
        var data = new TheoryData<string> { "openapi.json", "problems" };
        foreach (var entry in ProblemCatalog.All)
        {
            data.Add("problems/" + entry.Slug);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentationPaths))]
    public void Defaults_DocumentationRoute_IsAnUnauthenticatedMockGet(string path)
    {
        foreach (var stack in new[] { fixture.Defaults, fixture.Customized })
        {
            var method = Method(stack, path);

            Assert.Equal("GET", method.GetProperty("HttpMethod").GetString());
            Assert.Equal("NONE", method.GetProperty("AuthorizationType").GetString());
            Assert.False(method.TryGetProperty("ApiKeyRequired", out var keyRequired) && keyRequired.GetBoolean(), $"{stack} {path} needs the key");
            Assert.Equal("MOCK", method.GetProperty("Integration").GetProperty("Type").GetString());
            Assert.Equal("NEVER", method.GetProperty("Integration").GetProperty("PassthroughBehavior").GetString());
            var response = Assert.Single(method.GetProperty("Integration").GetProperty("IntegrationResponses").EnumerateArray());
            Assert.Equal("200", response.GetProperty("StatusCode").GetString());
            var template = Assert.Single(response.GetProperty("ResponseTemplates").EnumerateObject());
            Assert.Equal("application/json", template.Name);

            // Velocity reads '$' and '#' in a template; the literal text holds neither, so the body is returned as it is.
            var literals = CfnValue.Literals(template.Value);
            Assert.DoesNotContain('$', literals);
            Assert.DoesNotContain('#', literals);
        }
    }

    [Fact]
    public void Defaults_ProblemPages_AreTheCatalogsPagesAsHtml()
    {
        var stack = fixture.Defaults;

        Assert.Equal(ProblemPages.Index(), Body(stack, "problems", out var contentType));
        Assert.Equal("'text/html; charset=utf-8'", contentType);
        foreach (var entry in ProblemCatalog.All)
        {
            Assert.Equal(ProblemPages.Page(entry), Body(stack, "problems/" + entry.Slug, out _));
        }
    }

    [Fact]
    public void Defaults_OpenApiRoute_ServesTheCheckedInDocumentWithTheStageAsItsServer()
    {
        var stack = fixture.Defaults;

        var served = JsonNode.Parse(Body(stack, "openapi.json", out var contentType))!.AsObject();

        Assert.Equal("'application/json'", contentType);
        var server = Assert.Single(served["servers"]!.AsArray())!;
        Assert.Equal(StageUrl(stack), server["url"]!.GetValue<string>());
        var checkedIn = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoLocator.Find(AppContext.BaseDirectory)!, "docs", "openapi.json")))!.AsObject();
        served.Remove("servers");
        checkedIn.Remove("servers");
        Assert.True(JsonNode.DeepEquals(checkedIn, served), "The API serves a document that differs from docs/openapi.json beyond its servers.");
    }

    [Fact]
    public void Defaults_Functions_GetTheProblemTypeBaseTheGatewayUses()
    {
        var stack = fixture.Defaults;

        foreach (var function in new[] { stack.Stack.Publisher.Function, stack.Stack.Subscriber.Function })
        {
            var variables = stack.PropertiesOf(function).GetProperty("Environment").GetProperty("Variables");
            Assert.Equal(ExpectedTypeBase(stack), CfnValue.Render(variables.GetProperty("PROBLEM_TYPE_BASE_URI")));
        }
    }

    [Fact]
    public void Customized_Functions_GetTheConfiguredProblemTypeBase()
    {
        var stack = fixture.Customized;

        foreach (var function in new[] { stack.Stack.Publisher.Function, stack.Stack.Subscriber.Function })
        {
            var variables = stack.PropertiesOf(function).GetProperty("Environment").GetProperty("Variables");
            Assert.Equal(StackFixture.ProblemTypeBaseUri, variables.GetProperty("PROBLEM_TYPE_BASE_URI").GetString());
        }
    }

    [Fact]
    public void AllStacks_References_HaveNoCycle()
    {
        // The functions' environment names the API, whose stage depends on the functions: CloudFormation refuses a cycle
        // at deploy time, so the template's dependency graph is checked here (behind function URLs, the subscriber's
        // environment names the publisher's URL).
        foreach (var stack in fixture.Everything)
        {
            var resources = stack.Json.GetProperty("Resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            var edges = resources.ToDictionary(
                r => r.Key,
                r => CfnValue.References(r.Value)
                    .Select(reference => reference.Target)
                    .Where(resources.ContainsKey)
                    .ToHashSet(StringComparer.Ordinal));

            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in edges.Keys)
            {
                Assert.True(Acyclic(id, edges, state), $"{stack}: a dependency cycle through {id}");
            }
        }
    }

    private static bool Acyclic(string id, Dictionary<string, HashSet<string>> edges, Dictionary<string, int> state)
    {
        if (state.GetValueOrDefault(id) == 2)
        {
            return true;
        }

        if (state.GetValueOrDefault(id) == 1)
        {
            return false;
        }

        state[id] = 1;
        foreach (var next in edges[id])
        {
            if (!Acyclic(next, edges, state))
            {
                return false;
            }
        }

        state[id] = 2;
        return true;
    }

    /// <summary>The GET method on the resource at <paramref name="path"/> (relative to the API's root).</summary>
    private static JsonElement Method(SynthesizedStack stack, string path) => stack.Method("GET /" + path);

    private static string Body(SynthesizedStack stack, string path, out string contentType)
    {
        var response = Method(stack, path).GetProperty("Integration").GetProperty("IntegrationResponses")[0];
        contentType = response.GetProperty("ResponseParameters").GetProperty("method.response.header.Content-Type").GetString()!;
        return CfnValue.Render(response.GetProperty("ResponseTemplates").GetProperty("application/json"));
    }
}
