using Functions.Common.Http;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// JSON is valid with <c>"\ud800"</c> in it, but the text is not: a lone UTF-16 surrogate. Wherever one appears, in the
/// body or in the event itself, the answer is a 400 that names the member, never a 500.
/// </summary>
public sealed class InvalidUnicodeTests : IClassFixture<LocalServerFixture>, IAsyncLifetime
{
    private readonly LocalServerFixture _fixture;
    private FunctionHost _host = null!;

    public InvalidUnicodeTests(LocalServerFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync() => _host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string, EventShape> Bodies()
    {
        var data = new TheoryData<string, string, string, EventShape>();
        foreach (var shape in TestEvents.Shapes)
        {
            // route, body (as the caller sent it: the escapes are JSON text), the field named
            data.Add("/topics", """{"topicName":"\ud800","topicValue":"v"}""", "topicName", shape);
            data.Add("/topics", """{"topicName":"t","topicValue":"ok \udc00"}""", "topicValue", shape);
            data.Add("/topics", """{"topicName":"t","topicValue":"pair then lone \ud83d\ude00\ud83d"}""", "topicValue", shape);
            data.Add("/topics", """{"topicName":"t","topicValueBase64":"\ud800"}""", "topicValueBase64", shape);
            data.Add("/topics", """{"topicName":"t","top\ud800":"v"}""", @"['top\uD800']", shape);
            data.Add("/batch", """{"messages":[{"topicName":"a","topicValue":"v"},{"topicName":"\udfff","topicValue":"v"}]}""", "messages[1].topicName", shape);
            data.Add("/batch", """{"messages":["\ud800"]}""", "messages[0]", shape);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task HandleAsync_LoneSurrogateInTheBody_Answers400NamingTheField(string route, string body, string field, EventShape shape)
    {
        var invocation = await _host.InvokeAsync(TestEvents.PostJson(shape, route, body));

        var problem = invocation.Response.AssertProblem(400, ProblemTypes.InvalidRequest, field);
        Assert.Contains("not valid Unicode", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("WARN", invocation.Record.GetProperty("level").GetString());
    }

    public static TheoryData<string, string, EventShape> EventMembers()
    {
        var data = new TheoryData<string, string, EventShape>();
        foreach (var shape in TestEvents.Shapes)
        {
            // what is replaced in the event's JSON text, the field named
            data.Add("\"X-Probe\":\"PLACEHOLDER\"", "headers.X-Probe", shape);
            data.Add("\"PLACEHOLDER\":\"x\"", @"headers['\uD800']", shape);
            data.Add("\"body\":\"PLACEHOLDER\"", "body", shape);
        }

        data.Add("\"path\":\"/topics/PLACEHOLDER\"", "path", EventShape.RestApiV1);
        data.Add("\"rawPath\":\"/topics/PLACEHOLDER\"", "rawPath", EventShape.HttpApiV2);
        data.Add("\"topicName\":\"PLACEHOLDER\"", "pathParameters.topicName", EventShape.RestApiV1);
        return data;
    }

    [Theory]
    [MemberData(nameof(EventMembers))]
    public async Task HandleAsync_LoneSurrogateInTheEvent_Answers400NamingTheMember(string member, string field, EventShape shape)
    {
        var headers = new Dictionary<string, string> { ["Content-Type"] = "text/plain", ["X-Probe"] = "PLACEHOLDER", ["PLACEHOLDER"] = "x" };
        var eventJson = TestEvents.Build(shape, "POST", "/topics/PLACEHOLDER", "PLACEHOLDER", headers);
        Assert.Contains(member, eventJson, StringComparison.Ordinal);

        var invocation = await _host.InvokeAsync(eventJson.Replace(member, member.Replace("PLACEHOLDER", "\\ud800", StringComparison.Ordinal), StringComparison.Ordinal));

        var problem = invocation.Response.AssertProblem(400, ProblemTypes.InvalidRequest, field);
        Assert.Contains("not valid Unicode", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
