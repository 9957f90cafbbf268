using System.Text.Json;
using System.Text.RegularExpressions;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class RequestValidationTests(StackFixture fixture)
{
    private static void AssertMessageSchema(JsonElement message, bool batchMessage = false)
    {
        Assert.Equal("object", message.GetProperty("type").GetString());
        Assert.False(message.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["topicName"], message.GetProperty("required").Strings());
        var oneOf = message.GetProperty("oneOf").EnumerateArray().Select(s => string.Join(",", s.GetProperty("required").Strings())).ToArray();
        Assert.Equal(["topicValue", "topicValueBase64"], oneOf.Order(StringComparer.Ordinal));

        var properties = message.GetProperty("properties");
        // Only a batch message carries its own idempotency key; a single publish takes the Idempotency-Key header.
        string[] names = batchMessage ? ["idempotencyKey", "topicName", "topicValue", "topicValueBase64"] : ["topicName", "topicValue", "topicValueBase64"];
        Assert.Equal(names, properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        if (batchMessage)
        {
            var key = properties.GetProperty("idempotencyKey");
            Assert.Equal("string", key.GetProperty("type").GetString());
            Assert.Equal(1, key.GetProperty("minLength").Int());
            Assert.Equal(255, key.GetProperty("maxLength").Int());
        }

        var name = properties.GetProperty("topicName");
        Assert.Equal("string", name.GetProperty("type").GetString());
        Assert.Equal(1, name.GetProperty("minLength").Int());
        Assert.Equal(256, name.GetProperty("maxLength").Int());
        Assert.Equal(4096, properties.GetProperty("topicValue").GetProperty("maxLength").Int());
        Assert.Equal("string", properties.GetProperty("topicValue").GetProperty("type").GetString());
        Assert.Equal(5464, properties.GetProperty("topicValueBase64").GetProperty("maxLength").Int());
    }

    [Fact]
    public void Defaults_Validator_ValidatesBodiesOnly()
    {
        var validator = fixture.Defaults.Single("AWS::ApiGateway::RequestValidator");

        Assert.True(validator.GetProperty("ValidateRequestBody").GetBoolean());
        Assert.False(validator.TryGetProperty("ValidateRequestParameters", out var p) && p.GetBoolean());
    }

    [Theory]
    [InlineData("POST /topics")]
    [InlineData("POST /batch")]
    public void Defaults_JsonBodyRoutes_UseTheValidator(string route)
    {
        var validatorId = Assert.Single(fixture.Defaults.Resources("AWS::ApiGateway::RequestValidator")).Id;

        var method = fixture.Defaults.Method(route);

        Assert.Equal(validatorId, method.GetProperty("RequestValidatorId").GetProperty("Ref").GetString());
    }

    [Theory]
    [InlineData("POST /topics/{topicName}")]
    [InlineData("GET /verify")]
    [InlineData("POST /verify")]
    public void Defaults_OtherRoutes_PassBodiesToTheFunction(string route)
    {
        var method = fixture.Defaults.Method(route);

        Assert.False(method.TryGetProperty("RequestValidatorId", out _));
        Assert.False(method.TryGetProperty("RequestModels", out _));
    }

    [Fact]
    public void Defaults_PublishModel_MirrorsTheFunctionsRules()
    {
        var schema = fixture.Defaults.RequestSchema("POST /topics");

        Assert.Equal("http://json-schema.org/draft-04/schema#", schema.GetProperty("$schema").GetString());
        AssertMessageSchema(schema);
    }

    [Fact]
    public void Defaults_BatchModel_HoldsOneToAHundredMessages()
    {
        var schema = fixture.Defaults.RequestSchema("POST /batch");

        Assert.Equal("http://json-schema.org/draft-04/schema#", schema.GetProperty("$schema").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["messages"], schema.GetProperty("required").Strings());
        var messages = schema.GetProperty("properties").GetProperty("messages");
        Assert.Equal("array", messages.GetProperty("type").GetString());
        Assert.Equal(1, messages.GetProperty("minItems").Int());
        Assert.Equal(100, messages.GetProperty("maxItems").Int());
        AssertMessageSchema(messages.GetProperty("items"), batchMessage: true);
    }

    [Theory]
    [InlineData("orders", true)]
    [InlineData("orders with spaces", true)]
    [InlineData("  padded  ", true)]
    [InlineData("ünïcødé-topic", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public void Defaults_TopicNamePattern_RejectsBlankAndControlCharacters(string topicName, bool valid)
    {
        var pattern = fixture.Defaults.RequestSchema("POST /topics").GetProperty("properties").GetProperty("topicName").GetProperty("pattern").GetString()!;

        Assert.Equal(valid, Regex.IsMatch(topicName, pattern));
    }

    // Code points rather than strings, so the test names stay readable.
    [Theory]
    [InlineData(0x00)]
    [InlineData(0x09)]
    [InlineData(0x0A)]
    [InlineData(0x1F)]
    [InlineData(0x7F)]
    [InlineData(0x85)]
    [InlineData(0x9F)]
    public void Defaults_TopicNamePattern_RejectsAControlCharacterAnywhere(int codePoint)
    {
        var pattern = fixture.Defaults.RequestSchema("POST /topics").GetProperty("properties").GetProperty("topicName").GetProperty("pattern").GetString()!;
        var control = ((char)codePoint).ToString();

        Assert.DoesNotMatch(pattern, control + "orders");
        Assert.DoesNotMatch(pattern, "ord" + control + "ers");
        Assert.DoesNotMatch(pattern, "orders" + control);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("aGVsbG8=", true)]
    [InlineData("aGVsbG8h", true)]
    [InlineData("aGk=", true)]
    [InlineData("AAECAw==", true)]
    [InlineData("aGVsbG8", false)]
    [InlineData("aGVs bG8=", false)]
    [InlineData("a===", false)]
    [InlineData("@@@@", false)]
    [InlineData("aGk=\n", false)]
    public void Defaults_Base64Pattern_AcceptsOnlyPaddedBase64(string value, bool valid)
    {
        var pattern = fixture.Defaults.RequestSchema("POST /topics").GetProperty("properties").GetProperty("topicValueBase64").GetProperty("pattern").GetString()!;

        Assert.Equal(valid, Regex.IsMatch(value, pattern));
    }
}
