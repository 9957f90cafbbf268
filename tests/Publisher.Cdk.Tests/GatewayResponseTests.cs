using System.Text.Json;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class GatewayResponseTests(StackFixture fixture)
{
    private IReadOnlyDictionary<string, JsonElement> ByType() =>
        fixture.Defaults.Resources("AWS::ApiGateway::GatewayResponse")
            .ToDictionary(r => r.Properties.GetProperty("ResponseType").GetString()!, r => r.Properties);

    /// <summary>What API Gateway would substitute: messageString is pre-quoted, the others are raw text.</summary>
    private static JsonElement Render(JsonElement template) =>
        JsonDocument.Parse(CfnValue.Render(template)
            .Replace("$context.error.messageString", "\"Forbidden\"", StringComparison.Ordinal)
            .Replace("$context.error.validationErrorString", "[object has missing required properties]", StringComparison.Ordinal)
            .Replace("$context.requestId", "c0ffee-1", StringComparison.Ordinal)).RootElement;

    [Theory]
    [InlineData("BAD_REQUEST_BODY", 400, "invalid-request")]
    [InlineData("BAD_REQUEST_PARAMETERS", 400, "invalid-request")]
    [InlineData("MISSING_AUTHENTICATION_TOKEN", 403, "unauthorized")]
    [InlineData("UNAUTHORIZED", 401, "unauthorized")]
    [InlineData("ACCESS_DENIED", 403, "unauthorized")]
    [InlineData("INVALID_API_KEY", 403, "unauthorized")]
    [InlineData("INVALID_SIGNATURE", 403, "unauthorized")]
    [InlineData("EXPIRED_TOKEN", 403, "unauthorized")]
    [InlineData("THROTTLED", 429, "rate-limited")]
    [InlineData("QUOTA_EXCEEDED", 429, "rate-limited")]
    [InlineData("REQUEST_TOO_LARGE", 413, "payload-too-large")]
    [InlineData("UNSUPPORTED_MEDIA_TYPE", 415, "unsupported-media-type")]
    [InlineData("RESOURCE_NOT_FOUND", 404, "not-found")]
    [InlineData("INTEGRATION_TIMEOUT", 504, "timeout")]
    public void Defaults_GatewayResponse_IsProblemDetailsWithItsStatus(string type, int status, string slug)
    {
        var response = ByType()[type];

        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), response.GetProperty("StatusCode").GetString());
        Assert.Equal("'application/problem+json'", response.GetProperty("ResponseParameters").GetProperty("gatewayresponse.header.Content-Type").GetString());
        foreach (var template in response.GetProperty("ResponseTemplates").EnumerateObject())
        {
            var body = Render(template.Value);
            Assert.Equal(ApiDocsTests.ExpectedTypeBase(fixture.Defaults) + slug, body.GetProperty("type").GetString());
            Assert.Equal(status, body.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
            Assert.Equal("c0ffee-1", body.GetProperty("requestId").GetString());
        }
    }

    [Theory]
    [InlineData("DEFAULT_4XX", "invalid-request")]
    [InlineData("DEFAULT_5XX", "internal-error")]
    public void Defaults_DefaultResponses_KeepTheGatewaysStatusAndLeaveItOutOfTheBody(string type, string slug)
    {
        var response = ByType()[type];

        Assert.False(response.TryGetProperty("StatusCode", out _));
        var body = Render(response.GetProperty("ResponseTemplates").GetProperty("application/json"));
        Assert.Equal(ApiDocsTests.ExpectedTypeBase(fixture.Defaults) + slug, body.GetProperty("type").GetString());
        Assert.False(body.TryGetProperty("status", out _));
    }

    [Fact]
    public void Defaults_BadRequestBody_PutsTheValidationErrorInTheDetail()
    {
        var template = ByType()["BAD_REQUEST_BODY"].GetProperty("ResponseTemplates").GetProperty("application/json");

        Assert.Contains("\"detail\":\"$context.error.validationErrorString\"", CfnValue.Render(template), StringComparison.Ordinal);
        Assert.Equal("[object has missing required properties]", Render(template).GetProperty("detail").GetString());
    }

    [Fact]
    public void Defaults_Throttled_SaysWhenToRetryAndTheQuotaDoesNot()
    {
        var responses = ByType();

        Assert.Equal("'1'", responses["THROTTLED"].GetProperty("ResponseParameters").GetProperty("gatewayresponse.header.Retry-After").GetString());
        Assert.False(responses["QUOTA_EXCEEDED"].GetProperty("ResponseParameters").TryGetProperty("gatewayresponse.header.Retry-After", out _));
    }

    [Fact]
    public void Customized_ProblemTypeBase_IsTheConfiguredOneVerbatim()
    {
        var response = fixture.Customized.Resources("AWS::ApiGateway::GatewayResponse")
            .Single(r => r.Properties.GetProperty("ResponseType").GetString() == "INVALID_SIGNATURE").Properties;

        var body = Render(response.GetProperty("ResponseTemplates").GetProperty("application/json"));

        Assert.Equal(StackFixture.ProblemTypeBaseUri + "unauthorized", body.GetProperty("type").GetString());
    }

    [Fact]
    public void Defaults_EveryResponse_AnswersForJsonAndProblemJsonClients()
    {
        var responses = ByType();

        Assert.Equal(16, responses.Count);
        Assert.All(responses.Values, r =>
            Assert.Equal(["application/json", "application/problem+json"],
                r.GetProperty("ResponseTemplates").EnumerateObject().Select(t => t.Name).Order(StringComparer.Ordinal)));
    }
}
