using System.Text.Json;
using System.Text.RegularExpressions;

namespace Publisher.Cdk.Tests;

/// <summary>The functions' logical ids are the readable ones the docs' <c>sam local invoke</c> commands use.</summary>
[Collection(StackCollection.Name)]
public sealed partial class LogicalIdTests(StackFixture fixture)
{
    /// <summary>The files whose <c>sam local invoke</c> commands name a function of the synthesized template.</summary>
    public static readonly TheoryData<string> DocsWithSamCommands = ["README.md", "cdk/README.md", "src/Publisher.Local/events/README.md"];

    [Fact]
    public void AllStacks_Functions_ArePublisherFunctionAndSubscriberFunction()
    {
        Assert.All(fixture.All, stack => Assert.Equal(
            ["PublisherFunction", "SubscriberFunction"],
            stack.Resources("AWS::Lambda::Function").Select(f => f.Id).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Defaults_StackConstants_AreTheTemplateIds()
    {
        var stack = fixture.Defaults;

        Assert.Equal(PublisherStack.PublisherFunctionLogicalId, stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.Publisher.Function.Node.DefaultChild!));
        Assert.Equal(PublisherStack.SubscriberFunctionLogicalId, stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.Subscriber.Function.Node.DefaultChild!));
    }

    [Fact]
    public void AllStacks_EveryReference_PointsAtADeclaredResourceOrParameter()
    {
        Assert.All(fixture.All, stack =>
        {
            var resources = stack.Json.GetProperty("Resources").EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var parameters = stack.Json.TryGetProperty("Parameters", out var p)
                ? p.EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal)
                : [];
            var references = new List<(string Kind, string Target)>();
            Collect(stack.Json, references);

            Assert.Contains(references, r => r.Target == PublisherStack.PublisherFunctionLogicalId);
            Assert.Contains(references, r => r.Target == PublisherStack.SubscriberFunctionLogicalId);
            Assert.All(references, r => Assert.True(
                resources.Contains(r.Target) || (r.Kind == "Ref" && (parameters.Contains(r.Target) || r.Target.StartsWith("AWS::", StringComparison.Ordinal))),
                $"{stack}: {r.Kind} to undeclared '{r.Target}'"));
        });
    }

    [Theory]
    [MemberData(nameof(DocsWithSamCommands))]
    public void Docs_SamLocalInvokeCommands_NameFunctionsOfTheTemplate(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepoLocator.Find(AppContext.BaseDirectory)!, document));
        var named = SamInvoke().Matches(text).Select(m => m.Groups["id"].Value).ToArray();

        Assert.NotEmpty(named);
        var functions = fixture.Defaults.Resources("AWS::Lambda::Function").Select(f => f.Id).ToArray();
        Assert.All(named, id => Assert.Contains(id, functions));
    }

    [GeneratedRegex(@"sam local invoke -t \S+ (?<id>\S+)")]
    private static partial Regex SamInvoke();

    private static void Collect(JsonElement element, List<(string Kind, string Target)> references)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "Ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        references.Add(("Ref", property.Value.GetString()!));
                    }
                    else if (property.Name == "Fn::GetAtt")
                    {
                        // ["Id", "Attribute"], or the short "Id.Attribute".
                        references.Add(("Fn::GetAtt", property.Value.ValueKind == JsonValueKind.Array
                            ? property.Value[0].GetString()!
                            : property.Value.GetString()!.Split('.')[0]));
                    }
                    else if (property.Name == "DependsOn")
                    {
                        foreach (var dependency in property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToArray() : [property.Value])
                        {
                            references.Add(("DependsOn", dependency.GetString()!));
                        }
                    }
                    else
                    {
                        Collect(property.Value, references);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, references);
                }

                break;
        }
    }
}
