using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Functions.Common.Http;
using Publisher.Contracts;
using Publisher.Function.Internal;

namespace Publisher.Function.Tests;

/// <summary>The pipeline's steps one at a time, without a Momento server: reading the text, the contract, the route.</summary>
public sealed class PipelineStepTests
{
    [Theory]
    [InlineData("""{"topicName":"t","topicValue":"v"}""", null, null)]
    [InlineData("""{"a":[1,{"b":"\ud800"}]}""", "InvalidUnicode", "a[1].b")]
    [InlineData("""{"a":"\ud83d\ude00","b":"\ude00"}""", "InvalidUnicode", "b")]
    [InlineData("""{"x y":{"\udbff":1}}""", "InvalidUnicode", @"['x y']['\uDBFF']")]
    [InlineData("""[[[[[1]]]]]""", "TooDeep", "[0][0][0][0]")]
    [InlineData("""{"a":1} {}""", "Malformed", null)]
    [InlineData("", "Malformed", null)]
    public void JsonTextCheck_Text_FindsTheFirstFaultAndWhere(string json, string? kind, string? path)
    {
        var fault = JsonTextCheck.Find(Encoding.UTF8.GetBytes(json), maxDepth: 4);

        Assert.Equal(kind, fault?.Kind.ToString());
        Assert.Equal(path, fault?.Path);
    }

    [Fact]
    public void JsonTextCheck_BytesThatAreNotUtf8_AreNotJsonText()
    {
        Assert.Equal(JsonTextFaultKind.NotUtf8, JsonTextCheck.Find([(byte)'"', 0xC3, (byte)'"'], 4)?.Kind);
    }

    [Theory]
    [InlineData("""{"topicName":"t","topicValue":"v","topicValue":"w"}""", "topicValue", "appears more than once")]
    [InlineData("""{"topicName":"t","topicValue":5}""", "topicValue", "must be a string, not a number")]
    [InlineData("""{"topicValue":"v"}""", "topicName", "topicName is required")]
    [InlineData("""{"topicName":"t","topicValue":"v","extra":{"deep":[1]}}""", "extra", "Unknown field 'extra'")]
    [InlineData("""{"topicName":"t","it's":1}""", @"['it\'s']", "Unknown field 'it's'")]
    [InlineData("""{"topicName":null}""", "topicName", "must be a string, not null")]
    [InlineData("[]", null, "The body must be a JSON object")]
    public void StrictJson_ContractBreach_NamesTheMemberFromTheSerializersPath(string json, string? field, string detail)
    {
        var read = StrictJson.Read(Encoding.UTF8.GetBytes(json), PublisherJsonContext.Default.PublishRequest, "The body");

        Assert.True(read.Failed);
        Assert.Equal(field, read.Problem.Field);
        Assert.Contains(detail, read.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void StrictJson_BatchItems_AreNamedByIndex()
    {
        var read = StrictJson.Read("""{"messages":[{"topicName":"a","topicValue":"v"},{"topicName":"b","topicValue":[]}]}"""u8, PublisherJsonContext.Default.BatchRequest, "The body");

        Assert.Equal("messages[1].topicValue", read.Problem!.Field);
        Assert.Equal("messages[1].topicValue must be a string, not an array.", read.Problem.Detail);
    }

    [Theory]
    [InlineData("/topics", null, "/topics", new[] { "topics" })]
    [InlineData("/topics/{topicName}", "a/b", "/base/topics/a%2Fb", new[] { "topics", "a/b" })]
    [InlineData("/{proxy+}", "topics/x", "/base/topics/x", new[] { "topics", "x" })]
    [InlineData("/{proxy+}", null, "/topics/caf%C3%A9", new[] { "topics", "café" })]
    [InlineData(null, null, "/batch/", new[] { "batch" })]
    public void MatchedRoute_RestEvent_IsTheResourceFilledInElseThePath(string? resource, string? parameter, string path, string[] route)
    {
        var parameters = parameter is null ? null : new Dictionary<string, string> { [resource!.Contains("proxy", StringComparison.Ordinal) ? "proxy" : "topicName"] = parameter };
        var request = new APIGatewayProxyRequest { Resource = resource!, Path = path, PathParameters = parameters! };

        Assert.Equal(route, MatchedRoute.FromRest(request).Value);
    }

    [Theory]
    [InlineData("POST /topics/{topicName}", "live", "/live/messaging/topics/x", new[] { "topics", "x" })]
    [InlineData("$default", "live", "/live/topics/a%20b", new[] { "topics", "a b" })]
    [InlineData("$default", "$default", "/live/topics", new[] { "live", "topics" })]
    public void MatchedRoute_HttpApiEvent_IsTheRouteKeyElseTheRawPathBelowTheStage(string routeKey, string stage, string rawPath, string[] route)
    {
        var request = new APIGatewayHttpApiV2ProxyRequest
        {
            RouteKey = routeKey,
            RawPath = rawPath,
            PathParameters = new Dictionary<string, string> { ["topicName"] = "x" },
            RequestContext = new APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext { Stage = stage },
        };

        Assert.Equal(route, MatchedRoute.FromHttpApi(request).Value);
    }

    [Theory]
    [InlineData(new[] { "topics" }, "Topics", null)]
    [InlineData(new[] { "topics", "a b" }, "TopicByName", "a b")]
    [InlineData(new[] { "batch" }, "Batch", null)]
    public void RouteMatch_MatchedRoute_IsTheRouteEnum(string[] route, string expected, string? topicName)
    {
        var match = RouteMatch.Match(Request(route));

        Assert.Equal(new RouteMatch(Enum.Parse<PublisherRoute>(expected), topicName), match.Value);
    }

    [Fact]
    public void RouteMatch_AnyOtherRoute_IsA404NamingTheCallersPath()
    {
        var match = RouteMatch.Match(Request(["topics", "a", "b"]));

        Assert.Equal(404, match.Problem!.Status);
        Assert.Equal("There is no route for POST /messaging/x.", match.Problem.Detail);
    }

    private static ApiRequest Request(string[] route) =>
        new("POST", "/messaging/x", HeaderMap.From(null), [], false, "r", new Dictionary<string, string?>()) { Route = route };
}
