using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Functions.Common.Configuration;
using Functions.Common.Http;
using Publisher.Contracts;
using Publisher.Function;
using Publisher.Function.Internal;
using Subscriber.Function;

namespace Publisher.Cdk.Tests;

/// <summary>
/// The gateway's request schemas and the functions agree on every limit: the functions are read from the environment
/// the synthesized stack gives them, and each schema bound is the function's own boundary (accepted at it, refused
/// one past it). The patterns agree with the function's rules on every sample.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ContractAgreementTests(StackFixture fixture)
{
    [Fact]
    public void Defaults_TopicNameMaxLength_IsTheFunctionsBoundary()
    {
        var max = Message().GetProperty("topicName").GetProperty("maxLength").Int();

        Assert.Null(Publish(Single(new string('n', max), "v")));
        Assert.Equal((400, "topicName"), Publish(Single(new string('n', max + 1), "v")));
    }

    [Fact]
    public void Defaults_TopicValueMaxLength_IsTheFunctionsBoundary()
    {
        // ASCII: one character is one byte, so the schema's characters and the function's bytes meet exactly.
        var max = Message().GetProperty("topicValue").GetProperty("maxLength").Int();

        Assert.Null(Publish(Single("t", new string('v', max))));
        Assert.Equal((413, "topicValue"), Publish(Single("t", new string('v', max + 1))));
    }

    [Fact]
    public void Defaults_TopicValueBase64MaxLength_IsTheBase64OfTheFunctionsLargestValue()
    {
        var max = Message().GetProperty("topicValueBase64").GetProperty("maxLength").Int();
        var largest = new byte[PublisherSettings().MaxValueBytes];

        Assert.Equal(max, Convert.ToBase64String(largest).Length);
        Assert.Null(Publish($$"""{"topicName":"t","topicValueBase64":"{{Convert.ToBase64String(largest)}}"}"""));
        Assert.Equal((413, "topicValueBase64"), Publish($$"""{"topicName":"t","topicValueBase64":"{{Convert.ToBase64String(new byte[largest.Length + 3])}}"}"""));
    }

    [Fact]
    public void Defaults_BatchItemBounds_AreTheFunctionsBoundaries()
    {
        var messages = Schema("batch").GetProperty("properties").GetProperty("messages");
        var (min, max) = (messages.GetProperty("minItems").Int(), messages.GetProperty("maxItems").Int());

        Assert.Null(Publish(Batch(max), "batch"));
        Assert.Equal((413, "messages"), Publish(Batch(max + 1), "batch"));
        Assert.Null(Publish(Batch(min), "batch"));
        Assert.Equal((400, "messages"), Publish(Batch(min - 1), "batch"));
    }

    [Fact]
    public void Defaults_BodyCap_HoldsTheLargestBatchTheSchemaAllows()
    {
        var messages = Schema("batch").GetProperty("properties").GetProperty("messages");
        var value = Convert.ToBase64String(new byte[PublisherSettings().MaxValueBytes]);
        var name = new string('n', Message().GetProperty("topicName").GetProperty("maxLength").Int());
        var largest = "{\"messages\":[" + string.Join(',', Enumerable.Repeat($$"""{"topicName":"{{name}}","topicValueBase64":"{{value}}"}""", messages.GetProperty("maxItems").Int())) + "]}";

        Assert.InRange(Encoding.UTF8.GetByteCount(largest), 0, PublisherSettings().MaxBodyBytes);
    }

    [Fact]
    public void Defaults_VerifyListenBound_IsWhatTheDeploymentCheckAsksFor()
    {
        var subscriber = SubscriberSettings.FromEnvironment(Reader(Environment("Subscriber")));

        Assert.Equal(HttpContract.MaxVerifyListenMs, (int)subscriber.MaxListen.TotalMilliseconds);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("  padded  ")]
    [InlineData("ünïcødé/😀")]
    [InlineData("")]
    [InlineData(" \t ")]
    [InlineData("a\u0000b")]
    [InlineData("a\u0085b")]
    [InlineData("\u009F")]
    [InlineData("trailing\n")]
    [InlineData("\u2028line separator")]
    [InlineData("non-breaking\u00A0space")]
    public void Defaults_TopicNamePattern_AgreesWithTheFunction(string name)
    {
        var schema = Message().GetProperty("topicName");
        var schemaAccepts = name.Length >= schema.GetProperty("minLength").Int() && Regex.IsMatch(name, schema.GetProperty("pattern").GetString()!);

        Assert.Equal(schemaAccepts, Publish(Single(name, "v")) is null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("aGVsbG8=")]
    [InlineData("aGk=")]
    [InlineData("AAECAw==")]
    [InlineData("aGVsbG8")]
    [InlineData("aGVs bG8=")]
    [InlineData("a===")]
    [InlineData("@@@@")]
    [InlineData("aGk=\n")]
    public void Defaults_Base64Pattern_AgreesWithTheFunction(string text)
    {
        var schemaAccepts = Regex.IsMatch(text, Message().GetProperty("topicValueBase64").GetProperty("pattern").GetString()!);

        Assert.Equal(schemaAccepts, Publish($$"""{"topicName":"t","topicValueBase64":{{JsonSerializer.Serialize(text)}}}""") is null);
    }

    private static string Single(string topicName, string value) =>
        $$"""{"topicName":{{JsonSerializer.Serialize(topicName)}},"topicValue":{{JsonSerializer.Serialize(value)}}}""";

    private static string Batch(int count) =>
        "{\"messages\":[" + string.Join(',', Enumerable.Range(0, count).Select(i => Single("t" + i, "v"))) + "]}";

    /// <summary>The publisher's parse step on a JSON body: null when it accepts, else the problem's status and field.</summary>
    private (int Status, string? Field)? Publish(string json, string route = "topics")
    {
        var request = new ApiRequest(
            "POST",
            "/" + route,
            HeaderMap.From(new Dictionary<string, string> { ["Content-Type"] = "application/json" }),
            Encoding.UTF8.GetBytes(json),
            false,
            "r-1",
            new Dictionary<string, string?>())
        {
            Route = [route],
        };
        var read = new PublishRequestReader(PublisherSettings()).Read(RouteMatch.Match(request).Value, request);
        return read.Failed ? (read.Problem.Status, read.Problem.Field) : null;
    }

    private PublisherSettings PublisherSettings() => Function.PublisherSettings.FromEnvironment(Reader(Environment("Publisher")));

    /// <summary>A function's variables in the synthesized template, pointed at a local server instead of the secret.</summary>
    private Dictionary<string, string> Environment(string function)
    {
        var stack = fixture.Defaults;
        var construct = function == "Publisher" ? stack.Stack.Publisher.Function : stack.Stack.Subscriber.Function;
        var variables = stack.PropertiesOf(construct).GetProperty("Environment").GetProperty("Variables");
        var env = variables.EnumerateObject()
            .Where(v => v.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(v => v.Name, v => v.Value.GetString()!);
        env.Remove("MOMENTO_API_KEY_SECRET_ID");
        env["MOMENTO_LOCAL_ENDPOINT"] = "127.0.0.1:9";
        return env;
    }

    private static SettingsReader Reader(Dictionary<string, string> env) => new(name => env.GetValueOrDefault(name));

    private JsonElement Message() => Schema("topics").GetProperty("properties");

    /// <summary>The JSON schema of the model <c>POST /{pathPart}</c> validates bodies against.</summary>
    private JsonElement Schema(string pathPart) => fixture.Defaults.RequestSchema("POST /" + pathPart);
}
