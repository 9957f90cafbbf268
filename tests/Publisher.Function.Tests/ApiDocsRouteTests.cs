using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Common.Http;
using Publisher.Contracts.ApiDocs;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// Where no gateway mocks the documentation (an HTTP API; a function URL), the publisher serves it: the checked-in
/// OpenAPI document naming the address the request came to, and the problem pages every <c>type</c> points at.
/// The events are shaped as each door sends them: an HTTP API's matched route, a function URL's <c>$default</c>.
/// </summary>
public sealed class ApiDocsRouteTests : IClassFixture<LocalServerFixture>, IAsyncLifetime
{
    private const string ApiHost = "abc123.execute-api.eu-west-1.amazonaws.com";
    private const string UrlHost = "x7k2q4.lambda-url.eu-west-1.on.aws";

    private readonly LocalServerFixture _fixture;
    private FunctionHost _host = null!;

    public ApiDocsRouteTests(LocalServerFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync() => _host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly string CheckedInDocument = FindDocument(AppContext.BaseDirectory);

    private static string FindDocument(string directory) =>
        File.Exists(Path.Combine(directory, "docs", "openapi.json")) ? Path.Combine(directory, "docs", "openapi.json")
        : FindDocument(Path.GetDirectoryName(directory.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new FileNotFoundException("docs/openapi.json"));

    /// <summary>A GET as the door sends it: an HTTP API route with its parameters, or a function URL's <c>$default</c>.</summary>
    private static string Event(string method, string path, bool functionUrl, string host = ApiHost, string? proto = "https")
    {
        var headers = new Dictionary<string, string> { ["host"] = host };
        if (proto is not null)
        {
            headers["x-forwarded-proto"] = proto;
        }

        var root = JsonNode.Parse(TestEvents.Build(EventShape.HttpApiV2, method, path, null, headers))!.AsObject();
        if (!functionUrl)
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var template = segments.Length == 2 ? "/problems/{slug}" : path;
            root["routeKey"] = method + " " + template;
            root["requestContext"]!["routeKey"] = method + " " + template;
            root["pathParameters"] = segments.Length == 2 ? new JsonObject { ["slug"] = segments[1] } : null;
        }

        return root.ToJsonString();
    }

    [Theory]
    [InlineData(false, ApiHost)]
    [InlineData(true, UrlHost)]
    public async Task OpenApi_Get_IsTheCheckedInDocumentNamingThisAddress(bool functionUrl, string host)
    {
        var invocation = await _host.InvokeAsync(Event("GET", "/openapi.json", functionUrl, host));
        var document = invocation.Response.Json;
        var checkedIn = JsonNode.Parse(File.ReadAllText(CheckedInDocument))!.AsObject();

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal("application/json", invocation.Response.ContentType);
        Assert.Equal("public, max-age=300", invocation.Response.Headers["Cache-Control"]);
        Assert.Equal("https://" + host, Assert.Single(document.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
        // Everything but the servers is the checked-in document.
        checkedIn.Remove("servers");
        var served = JsonNode.Parse(invocation.Response.Body)!.AsObject();
        served.Remove("servers");
        Assert.True(JsonNode.DeepEquals(checkedIn, served));
        Assert.Equal("/openapi.json", invocation.Record.GetProperty("route").GetString());
        Assert.Equal(200, invocation.Record.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("evil.example.com/path", "https")]
    [InlineData("a b", "https")]
    [InlineData(ApiHost, "gopher")]
    [InlineData("", "https")]
    public async Task OpenApi_HostItCannotUse_KeepsTheDocumentsOwnServers(string host, string proto)
    {
        var invocation = await _host.InvokeAsync(Event("GET", "/openapi.json", functionUrl: true, host, proto));
        var checkedIn = JsonDocument.Parse(File.ReadAllText(CheckedInDocument)).RootElement;

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal(checkedIn.GetProperty("servers").GetRawText(), invocation.Response.Json.GetProperty("servers").GetRawText());
    }

    [Fact]
    public async Task OpenApi_ForwardedHttp_NamesAnHttpServer()
    {
        var invocation = await _host.InvokeAsync(Event("GET", "/openapi.json", functionUrl: true, "127.0.0.1:3000", "http"));

        Assert.Equal("http://127.0.0.1:3000", invocation.Response.Json.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Problems_IndexAndEveryPage_AreTheCatalogsHtml(bool functionUrl)
    {
        var index = await _host.InvokeAsync(Event("GET", "/problems", functionUrl));
        Assert.Equal(200, index.Response.StatusCode);
        Assert.Equal(ProblemPages.HtmlMediaType, index.Response.ContentType);
        Assert.Equal(ProblemPages.Index(), index.Response.Body);

        foreach (var entry in ProblemCatalog.All)
        {
            var page = await _host.InvokeAsync(Event("GET", "/problems/" + entry.Slug, functionUrl));
            Assert.Equal(200, page.Response.StatusCode);
            Assert.Equal(ProblemPages.Page(entry), page.Response.Body);
            Assert.Equal("/problems/{slug}", page.Record.GetProperty("route").GetString());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Problems_UnknownType_IsANotFoundProblem(bool functionUrl)
    {
        var invocation = await _host.InvokeAsync(Event("GET", "/problems/no-such-type", functionUrl));

        invocation.Response.AssertProblem(404, "not-found");
    }

    [Theory]
    [InlineData("POST", "/openapi.json")]
    [InlineData("DELETE", "/problems")]
    [InlineData("PUT", "/problems/invalid-request")]
    public async Task Documentation_OtherMethods_AreMethodNotAllowedNamingGetAndHead(string method, string path)
    {
        var invocation = await _host.InvokeAsync(Event(method, path, functionUrl: true));

        invocation.Response.AssertProblem(405, "method-not-allowed");
        Assert.Equal("GET, HEAD", invocation.Response.Headers["Allow"]);
    }

    [Fact]
    public async Task Documentation_Head_AnswersWithoutABody()
    {
        var invocation = await _host.InvokeAsync(Event("HEAD", "/openapi.json", functionUrl: true));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal("application/json", invocation.Response.ContentType);
        Assert.Equal(string.Empty, invocation.Response.Body);
    }

    [Theory]
    [InlineData("/problems/a/b")]
    [InlineData("/openapi.json/x")]
    [InlineData("/openapi")]
    public async Task Documentation_NearMisses_AreNotFound(string path)
    {
        var invocation = await _host.InvokeAsync(Event("GET", path, functionUrl: true));

        invocation.Response.AssertProblem(404, "not-found");
    }

    [Fact]
    public async Task Documentation_Requests_PublishNothing()
    {
        var page = await _host.InvokeAsync(Event("GET", "/problems/invalid-request", functionUrl: false));

        Assert.False(page.Record.TryGetProperty("topic", out _));
        Assert.Equal(0, page.Record.TryGetProperty("Published", out var published) ? published.GetInt32() : 0);
    }
}
