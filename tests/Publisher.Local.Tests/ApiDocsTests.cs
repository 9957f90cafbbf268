using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Publisher.Contracts.ApiDocs;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>
/// The local runner serves the API's documentation as the stack does, without the key: the checked-in OpenAPI
/// document naming this runner as its server, and the problem pages every problem's <c>type</c> points at.
/// </summary>
public sealed partial class ApiDocsTests : IAsyncLifetime
{
    private const string Key = "docs-test-key";
    private LocalService _service = null!;

    public async Task InitializeAsync() =>
        _service = await LocalService.StartAsync(new LocalServiceOptions
        {
            ApiPort = 0,
            TopicsPort = 0,
            ApiKey = Key,
            Environment = TestEnvironment.None,
            Log = new LineWriter(),
        });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Get_TypeOfTheFunctionsProblem_ResolvesToItsPageWithoutTheKey()
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/topics")
        {
            Content = new StringContent("""{"topicName":"t","topicValue":"a","topicValueBase64":"YQ=="}""", Encoding.UTF8, "application/json"),
            Headers = { { "x-api-key", Key } },
        };
        using var invalid = await http.SendAsync(request).DefaultTimeout();
        var type = await TypeOf(invalid);

        using var page = await new HttpClient().GetAsync(type).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(new Uri(_service.ApiUrl, "problems/invalid-request"), type);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<code>invalid-request</code>: The request is invalid.", html, StringComparison.Ordinal);
        Assert.Contains("<h2>What to do</h2>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TypeOfTheLocalApisOwnProblem_ResolvesToItsPage()
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };
        using var noKey = await http.PostAsync("/topics", new StringContent("{}", Encoding.UTF8, "application/json")).DefaultTimeout();
        var type = await TypeOf(noKey);

        using var page = await http.GetAsync(type).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, noKey.StatusCode);
        Assert.Equal(new Uri(_service.ApiUrl, "problems/unauthorized"), type);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<code>unauthorized</code>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ProblemsIndex_LinksEveryTypesPageRelatively()
    {
        using var http = new HttpClient();
        var index = new Uri(_service.ApiUrl, "problems");
        var html = await http.GetStringAsync(index).DefaultTimeout();
        var links = Link().Matches(html).Select(m => new Uri(index, m.Groups[1].Value)).ToList();

        Assert.Equal(
            ProblemCatalog.All.Select(e => new Uri(_service.ApiUrl, "problems/" + e.Slug)),
            links.Where(l => l.AbsolutePath.StartsWith("/problems/", StringComparison.Ordinal)));
        Assert.Contains(new Uri(_service.ApiUrl, "openapi.json"), links);
        foreach (var link in links)
        {
            using var response = await http.GetAsync(link).DefaultTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Get_UnknownProblemType_NotFoundProblem()
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };

        using var response = await http.GetAsync("/problems/no-such-type").DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(new Uri(_service.ApiUrl, "problems/not-found"), await TypeOf(response));
    }

    [Theory]
    [InlineData("/openapi.json")]
    [InlineData("/problems")]
    [InlineData("/problems/invalid-request")]
    public async Task Head_Document_AnswersAsGetWithoutTheBody(string path)
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };
        using var get = await http.GetAsync(path).DefaultTimeout();

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST", "/openapi.json")]
    [InlineData("PUT", "/problems")]
    [InlineData("DELETE", "/problems/timeout")]
    public async Task OtherMethod_OnADocument_IsMethodNotAllowedNamingGetAndHead(string method, string path)
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal(new Uri(_service.ApiUrl, "problems/method-not-allowed"), await TypeOf(response));
    }

    [Fact]
    public async Task Get_OpenApiJson_IsTheCheckedInDocumentWithThisRunnerAsItsServer()
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };

        using var response = await http.GetAsync("/openapi.json").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var checkedIn = JsonNode.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "docs", "openapi.json")))!.AsObject();
        Assert.Equal(_service.ApiUrl.ToString().TrimEnd('/'), served["servers"]![0]!["url"]!.GetValue<string>());
        Assert.Single(served["servers"]!.AsArray());
        served.Remove("servers");
        checkedIn.Remove("servers");
        Assert.True(JsonNode.DeepEquals(checkedIn, served), "The served document differs from docs/openapi.json beyond its servers.");
    }

    private static async Task<Uri> TypeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Uri(problem.RootElement.GetProperty("type").GetString()!);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\">")]
    private static partial Regex Link();
}
