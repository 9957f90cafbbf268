using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Lambda.Runtime.Tests.Support;

namespace Lambda.Runtime.Tests;

public sealed class EventSerializationTests
{
    private static readonly APIGatewayEventsJsonContext Context = APIGatewayEventsJsonContext.Default;

    [Fact]
    public void APIGatewayProxyRequest_RestFixture_DeserializesAllFields()
    {
        var request = JsonSerializer.Deserialize(Fixtures.Read(Fixtures.RestApiV1), Context.APIGatewayProxyRequest)!;

        Assert.Equal("/{proxy+}", request.Resource);
        Assert.Equal("/hello/world", request.Path);
        Assert.Equal("POST", request.HttpMethod);
        Assert.Equal("application/json", request.Headers!["Content-Type"]);
        Assert.Null(request.MultiValueHeaders);
        Assert.Equal("me", request.QueryStringParameters!["name"]);
        Assert.Null(request.MultiValueQueryStringParameters);
        Assert.Equal("hello/world", request.PathParameters!["proxy"]);
        Assert.Equal("stageVariableValue", request.StageVariables!["stageVariableName"]);
        Assert.Equal("{\r\n\t\"a\": 1\r\n}", request.Body);
        Assert.False(request.IsBase64Encoded);

        var context = request.RequestContext!;
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
        Assert.Null(context.Authorizer);

        var identity = context.Identity!;
        Assert.Equal("192.168.196.186", identity.SourceIp);
        Assert.Equal("theApiKey", identity.ApiKey);
        Assert.Equal("theUserArn", identity.UserArn);
        Assert.Equal("theUser", identity.User);
        Assert.Equal("theCaller", identity.Caller);
        Assert.Equal("IAM_user_access_key", identity.AccessKey);
        Assert.Equal("theAccountId", identity.AccountId);
        Assert.Equal("theCognitoIdentityId", identity.CognitoIdentityId);
        Assert.Equal("PostmanRuntime/2.4.5", identity.UserAgent);
        Assert.Equal("www.example.com", identity.ClientCert!.SubjectDN);
        Assert.Equal("Aug  5 09:36:04 2021 GMT", identity.ClientCert.Validity!.NotAfter);
    }

    [Fact]
    public void APIGatewayHttpApiV2ProxyRequest_HttpApiFixture_DeserializesAllFields()
    {
        var request = JsonSerializer.Deserialize(Fixtures.Read(Fixtures.HttpApiV2), Context.APIGatewayHttpApiV2ProxyRequest)!;

        Assert.Equal("2.0", request.Version);
        Assert.Equal("$default", request.RouteKey);
        Assert.Equal("/my/path", request.RawPath);
        Assert.Equal("parameter1=value1&parameter1=value2&parameter2=value", request.RawQueryString);
        Assert.Equal(["cookie1", "cookie2"], request.Cookies!);
        Assert.Equal("value1", request.Headers!["Header1"]);
        Assert.Equal("value1,value2", request.QueryStringParameters!["parameter1"]);
        Assert.Null(request.PathParameters);
        Assert.Equal("value2", request.StageVariables!["stageVariable2"]);
        Assert.Equal("Hello from Lambda", request.Body);
        Assert.True(request.IsBase64Encoded);

        var context = request.RequestContext!;
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
        Assert.Equal("POST", context.Http!.Method);
        Assert.Equal("/my/path", context.Http.Path);
        Assert.Equal("HTTP/1.1", context.Http.Protocol);
        Assert.Equal("IP", context.Http.SourceIp);
        Assert.Equal("agent", context.Http.UserAgent);
        var claims = context.Authorizer!.Value.GetProperty("jwt").GetProperty("claims");
        Assert.Equal("value2", claims.GetProperty("claim2").GetString());
    }

    [Fact]
    public void APIGatewayProxyRequest_HeaderLookup_IgnoresCase()
    {
        var request = JsonSerializer.Deserialize(Fixtures.Read(Fixtures.RestApiV1), Context.APIGatewayProxyRequest)!;

        Assert.Equal("application/json", request.Headers!["content-type"]);
        Assert.True(request.Headers.TryGetValue("CACHE-CONTROL", out var cacheControl));
        Assert.Equal("no-cache", cacheControl);
        Assert.False(request.Headers.ContainsKey("X-Missing"));
    }

    [Fact]
    public void APIGatewayHttpApiV2ProxyRequest_HeadersSetInCode_LookupIgnoresCase()
    {
        var request = new APIGatewayHttpApiV2ProxyRequest
        {
            Headers = new Dictionary<string, string> { ["content-type"] = "text/plain", ["X-Api-Key"] = "k" },
        };

        Assert.Equal("text/plain", request.Headers!["Content-Type"]);
        Assert.Equal("k", request.Headers["x-api-key"]);
    }

    [Fact]
    public void APIGatewayProxyRequest_HeadersDifferingOnlyInCase_LastWins()
    {
        const string json = """{"headers":{"Accept":"a","accept":"b"}}""";

        var request = JsonSerializer.Deserialize(json, Context.APIGatewayProxyRequest)!;

        Assert.Equal("b", request.Headers!["ACCEPT"]);
    }

    [Fact]
    public void APIGatewayProxyRequest_MultiValueFields_Deserialize()
    {
        const string json = """{"multiValueHeaders":{"X-Tag":["a","b"]},"multiValueQueryStringParameters":{"q":["1","2"]},"body":null,"requestContext":{"authorizer":{"principalId":"user-1","claims":{"sub":"s"}}}}""";

        var request = JsonSerializer.Deserialize(json, Context.APIGatewayProxyRequest)!;

        Assert.Equal(["a", "b"], request.MultiValueHeaders!["x-tag"]);
        Assert.Equal(["1", "2"], request.MultiValueQueryStringParameters!["q"]);
        Assert.Null(request.Body);
        Assert.Equal("user-1", request.RequestContext!.Authorizer!["principalId"].GetString());
        Assert.Equal("s", request.RequestContext.Authorizer["claims"].GetProperty("sub").GetString());
    }

    [Fact]
    public void APIGatewayProxyResponse_Serialize_UsesAwsPropertyNames()
    {
        var response = new APIGatewayProxyResponse
        {
            StatusCode = 202,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            MultiValueHeaders = new Dictionary<string, IList<string>> { ["Set-Cookie"] = ["a=1", "b=2"] },
            Body = "{\"ok\":true}",
            IsBase64Encoded = false,
        };

        var json = JsonSerializer.Serialize(response, Context.APIGatewayProxyResponse);

        Assert.Equal(
            """{"statusCode":202,"headers":{"Content-Type":"application/json"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"{\u0022ok\u0022:true}","isBase64Encoded":false}""",
            json);
    }

    [Fact]
    public void APIGatewayProxyResponse_NullMembers_AreOmitted()
    {
        var json = JsonSerializer.Serialize(new APIGatewayProxyResponse { StatusCode = 204 }, Context.APIGatewayProxyResponse);

        Assert.Equal("""{"statusCode":204,"isBase64Encoded":false}""", json);
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

        var json = JsonSerializer.Serialize(response, Context.APIGatewayHttpApiV2ProxyResponse);

        Assert.Equal(
            """{"statusCode":400,"headers":{"content-type":"text/plain"},"cookies":["session=x; HttpOnly"],"body":"bad","isBase64Encoded":true}""",
            json);
    }
}
