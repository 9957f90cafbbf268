using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport;

namespace Lambda.Runtime.Tests;

public sealed class HandlerWrapperTests
{
    private static readonly LambdaHandler EchoPath = HandlerWrapper.Create(
        (APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context, CancellationToken _) =>
            Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = request.RawPath + " " + context.AwsRequestId }),
        APIGatewayEventsJsonContext.Default.APIGatewayHttpApiV2ProxyRequest,
        APIGatewayEventsJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);

    private static InvocationRequest Invocation(string json) =>
        new(Encoding.UTF8.GetBytes(json), new LambdaContext("req-7", DateTimeOffset.UtcNow.AddMinutes(1)));

    [Fact]
    public async Task Create_ValidPayload_DeserializesCallsAndSerializes()
    {
        var output = await EchoPath(Invocation("""{"rawPath":"/topics/a"}"""), CancellationToken.None);

        var response = JsonSerializer.Deserialize(output.Span, APIGatewayEventsJsonContext.Default.APIGatewayHttpApiV2ProxyResponse)!;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("/topics/a req-7", response.Body);
    }

    [Fact]
    public async Task Create_InvalidJson_ThrowsNamingTheType()
    {
        var error = await Assert.ThrowsAsync<LambdaSerializationException>(() => EchoPath(Invocation("not json"), CancellationToken.None));

        Assert.Contains(typeof(APIGatewayHttpApiV2ProxyRequest).FullName!, error.Message);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public async Task Create_JsonNull_ThrowsNamingTheType()
    {
        var error = await Assert.ThrowsAsync<LambdaSerializationException>(() => EchoPath(Invocation("null"), CancellationToken.None));

        Assert.Contains("APIGatewayHttpApiV2ProxyRequest", error.Message);
    }
}
