using System.Text;
using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using Lambda.Runtime.Tests.Support;

namespace Lambda.Runtime.Tests;

/// <summary>AWS's published sample events through Lambda's source-generated serializer, as a typed handler reads them.</summary>
public sealed class EventSerializationTests
{
    private static readonly ILambdaSerializer Rest = new SourceGeneratorLambdaJsonSerializer<RestEventsContext>();
    private static readonly ILambdaSerializer HttpApi = new SourceGeneratorLambdaJsonSerializer<HttpApiEventsContext>();

    private static T Read<T>(ILambdaSerializer serializer, string json) =>
        serializer.Deserialize<T>(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static string Write<T>(ILambdaSerializer serializer, T value)
    {
        using var output = new MemoryStream();
        serializer.Serialize(value, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void APIGatewayProxyRequest_RestFixture_DeserializesFields()
    {
        var request = Read<APIGatewayProxyRequest>(Rest, Fixtures.Read(Fixtures.RestApiV1));

        Assert.Equal("/{proxy+}", request.Resource);
        Assert.Equal("/hello/world", request.Path);
        Assert.Equal("POST", request.HttpMethod);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Null(request.MultiValueHeaders);
        Assert.Equal("me", request.QueryStringParameters["name"]);
        Assert.Equal("hello/world", request.PathParameters["proxy"]);
        Assert.Equal("stageVariableValue", request.StageVariables["stageVariableName"]);
        Assert.Equal("{\r\n\t\"a\": 1\r\n}", request.Body);
        Assert.False(request.IsBase64Encoded);

        var context = request.RequestContext;
        Assert.Equal("12345678912", context.AccountId);
        Assert.Equal("roq9wj", context.ResourceId);
        Assert.Equal("testStage", context.Stage);
        Assert.Equal("deef4878-7910-11e6-8f14-25afc3e9ae33", context.RequestId);
        Assert.Equal("/{proxy+}", context.ResourcePath);
        Assert.Equal("POST", context.HttpMethod);
        Assert.Equal("gy415nuibc", context.ApiId);
        Assert.Equal("somerandomdomain.net", context.DomainName);
        Assert.Equal("20/Feb/2018:22:48:57 +0000", context.RequestTime);
        Assert.Equal(1519166937665, context.RequestTimeEpoch);
        Assert.Equal("192.168.196.186", context.Identity.SourceIp);
        Assert.Equal("theApiKey", context.Identity.ApiKey);
        Assert.Equal("theUserArn", context.Identity.UserArn);
        Assert.Equal("PostmanRuntime/2.4.5", context.Identity.UserAgent);
    }

    [Fact]
    public void APIGatewayHttpApiV2ProxyRequest_HttpApiFixture_DeserializesFields()
    {
        var request = Read<APIGatewayHttpApiV2ProxyRequest>(HttpApi, Fixtures.Read(Fixtures.HttpApiV2));

        Assert.Equal("2.0", request.Version);
        Assert.Equal("$default", request.RouteKey);
        Assert.Equal("/my/path", request.RawPath);
        Assert.Equal("parameter1=value1&parameter1=value2&parameter2=value", request.RawQueryString);
        Assert.Equal(["cookie1", "cookie2"], request.Cookies);
        Assert.Equal("value1", request.Headers["Header1"]);
        Assert.Equal("value1,value2", request.QueryStringParameters["parameter1"]);
        Assert.Null(request.PathParameters);
        Assert.Equal("value2", request.StageVariables["stageVariable2"]);
        Assert.Equal("Hello from Lambda", request.Body);
        Assert.True(request.IsBase64Encoded);

        var context = request.RequestContext;
        Assert.Equal("123456789012", context.AccountId);
        Assert.Equal("api-id", context.ApiId);
        Assert.Equal("id.execute-api.us-east-1.amazonaws.com", context.DomainName);
        Assert.Equal("domain-id", context.DomainPrefix);
        Assert.Equal("request-id", context.RequestId);
        Assert.Equal("route-id", context.RouteId);
        Assert.Equal("$default-route", context.RouteKey);
        Assert.Equal("$default-stage", context.Stage);
        Assert.Equal("12/Mar/2020:19:03:58 +0000", context.Time);
        Assert.Equal(1583348638390, context.TimeEpoch);
        Assert.Equal("POST", context.Http.Method);
        Assert.Equal("/my/path", context.Http.Path);
        Assert.Equal("HTTP/1.1", context.Http.Protocol);
        Assert.Equal("IP", context.Http.SourceIp);
        Assert.Equal("agent", context.Http.UserAgent);
    }

    [Fact]
    public void Deserialize_NotJson_ThrowsJsonSerializerExceptionNamingTheType()
    {
        var error = Assert.Throws<JsonSerializerException>(() => Read<APIGatewayProxyRequest>(Rest, "{not json"));

        Assert.Contains(typeof(APIGatewayProxyRequest).FullName!, error.Message);
    }

    [Fact]
    public void APIGatewayProxyResponse_Serialize_UsesAwsPropertyNamesAndLeavesNullsOut()
    {
        var response = new APIGatewayProxyResponse
        {
            StatusCode = 202,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            MultiValueHeaders = new Dictionary<string, IList<string>> { ["Set-Cookie"] = ["a=1", "b=2"] },
            Body = "{\"ok\":true}",
        };

        Assert.Equal(
            """{"statusCode":202,"headers":{"Content-Type":"application/json"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"{\"ok\":true}","isBase64Encoded":false}""",
            Write(Rest, response));
        Assert.Equal("""{"statusCode":204,"isBase64Encoded":false}""", Write(Rest, new APIGatewayProxyResponse { StatusCode = 204 }));
    }

    [Fact]
    public void APIGatewayHttpApiV2ProxyResponse_Serialize_UsesAwsPropertyNames()
    {
        var response = new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = 400,
            Headers = new Dictionary<string, string> { ["content-type"] = "text/plain" },
            Cookies = ["session=x; HttpOnly"],
            Body = "bad",
            IsBase64Encoded = true,
        };

        Assert.Equal(
            """{"statusCode":400,"headers":{"content-type":"text/plain"},"cookies":["session=x; HttpOnly"],"body":"bad","isBase64Encoded":true}""",
            Write(HttpApi, response));
    }
}

[JsonSerializable(typeof(APIGatewayProxyRequest))]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
internal sealed partial class RestEventsContext : JsonSerializerContext;

[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
internal sealed partial class HttpApiEventsContext : JsonSerializerContext;
