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
        Assert.All(fixture.Everything, stack => Assert.Equal(
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
        Assert.All(fixture.Everything, stack =>
        {
            var resources = stack.Json.GetProperty("Resources").EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var parameters = stack.Json.TryGetProperty("Parameters", out var p)
                ? p.EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal)
                : [];
            var references = CfnValue.References(stack.Json).ToList();

            Assert.Contains(references, r => r.Target == PublisherStack.PublisherFunctionLogicalId);
            Assert.Contains(references, r => r.Target == PublisherStack.SubscriberFunctionLogicalId);
            Assert.All(references, r => Assert.True(
                resources.Contains(r.Target) || ((r.Kind is "Ref" or "Fn::Sub") && (parameters.Contains(r.Target) || r.Target.StartsWith("AWS::", StringComparison.Ordinal))),
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
}
