using System.Text.Json;
using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>Request bodies of the publish API.</summary>
internal static class JsonBody
{
    public static string Message(string topic, string value)
    {
        var body = new JsonObject { ["topicName"] = topic, ["topicValue"] = value };
        return body.ToJsonString();
    }

    public static string Batch(IEnumerable<(string Topic, string Value)> messages)
    {
        var array = new JsonArray();
        foreach (var (topic, value) in messages)
        {
            array.Add(new JsonObject { ["topicName"] = topic, ["topicValue"] = value });
        }

        return new JsonObject { ["messages"] = array }.ToJsonString();
    }

    /// <summary>The <c>published</c> count of a batch answer.</summary>
    public static int PublishedCount(string batchAnswer)
    {
        using var document = JsonDocument.Parse(batchAnswer);
        return document.RootElement.GetProperty("published").GetInt32();
    }
}
